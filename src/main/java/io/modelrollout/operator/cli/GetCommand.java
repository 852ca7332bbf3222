package io.modelrollout.operator.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.cli.RolloutView.PolicyInfo;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code get NAME [--watch]}: one ModelDeployment at a glance. */
@Command(
    name = "get",
    description = {
      "Show a ModelDeployment: phase, stable and canary, the policy's steps with the current one"
          + " marked, weights asked and in force, gates with their evidence, history and events.",
      "With --watch, redraw on every change (a watch, not polling)."
    })
class GetCommand implements Callable<Integer> {
  static final Duration TICK = Duration.ofSeconds(1);

  @ParentCommand ModelRolloutCli root;
  @Mixin KubeOptions kube;
  @Mixin OutputOptions output;

  @Parameters(index = "0", paramLabel = "NAME", description = "The ModelDeployment.")
  String name;

  @Option(
      names = {"-w", "--watch"},
      description = "Keep watching and redraw on every change (in place on a terminal).")
  boolean watch;

  @Override
  public Integer call() throws InterruptedException {
    CliEnv env = root.env;
    kube.inherit(root.kube);
    Style style = output.style(env);
    String ns = kube.namespace();
    try (KubernetesClient c = kube.client()) {
      if (!watch) {
        // events first: the object read after them is at least as new, so no event tells of a
        // step the view does not show yet
        List<io.fabric8.kubernetes.api.model.Event> events = Kube.events(c, ns, name);
        ModelDeployment md = Kube.get(c, ns, name);
        print(env, style, RolloutView.of(md, Kube.policy(c, md), events, now(env)));
        return ExitCodes.OK;
      }
      Kube.get(c, ns, name); // not found or forbidden: exit 4 before watching
      try (ModelWatch w = new ModelWatch(c, ns, name, true)) {
        return watch(env, style, c, w);
      }
    }
  }

  private int watch(CliEnv env, Style style, KubernetesClient c, ModelWatch w)
      throws InterruptedException {
    boolean inPlace = env.terminal() && output.output == null;
    PrintWriter out = env.out();
    if (inPlace) {
      out.print(Terminal.HIDE_CURSOR + Terminal.CLEAR_SCREEN);
      if (Terminal.stdoutIsTerminal(env.env().get("TERM"))) {
        // the real stdout (not a test's capture): Ctrl-C ends the JVM without the finally below
        Runtime.getRuntime()
            .addShutdownHook(new Thread(() -> System.out.print(Terminal.SHOW_CURSOR)));
      }
    }
    PolicyInfo policy = null;
    String policyOf = null;
    String last = null;
    boolean first = true;
    try {
      while (true) {
        ModelDeployment md = w.current();
        String text;
        if (md == null) {
          text = "modeldeployment \"" + name + "\" does not exist (any more); waiting for it\n";
        } else {
          String version = md.getMetadata().getResourceVersion();
          if (policy == null || !Objects.equals(version, policyOf)) {
            policy = Kube.policy(c, md); // once per change of the object, not per tick
            policyOf = version;
          }
          RolloutView v = RolloutView.of(md, policy, w.events(), now(env));
          text =
              output.output == null
                  ? GetRenderer.render(v, style, now(env))
                  : Output.write(output.output, v);
        }
        if (inPlace) {
          out.print(frame(text, env));
          out.flush();
        } else if (!text.equals(last)) {
          if (!first) {
            out.println(separator(env));
          }
          out.print(text);
          out.flush();
        }
        last = text;
        first = false;
        w.awaitChange(inPlace ? TICK : null);
      }
    } finally {
      if (inPlace) {
        out.print(Terminal.SHOW_CURSOR);
        out.flush();
      }
    }
  }

  /** A frame drawn over the previous one: home, each line cleared to its end, the rest cleared. */
  static String frame(String text, CliEnv env) {
    List<String> lines = text.lines().toList();
    int rows = env.rows() > 1 ? env.rows() - 1 : lines.size();
    StringBuilder sb = new StringBuilder(Terminal.HOME);
    for (String line : lines.subList(0, Math.min(rows, lines.size()))) {
      sb.append(env.columns() > 0 ? Style.truncate(line, env.columns()) : line)
          .append(Terminal.CLEAR_LINE)
          .append('\n');
    }
    return sb.append(Terminal.CLEAR_BELOW).toString();
  }

  private String separator(CliEnv env) {
    if (output.output == Output.Format.yaml) {
      return "---";
    }
    return output.output == Output.Format.json ? "" : "--- " + now(env);
  }

  private void print(CliEnv env, Style style, RolloutView v) {
    env.out()
        .print(
            output.output == null
                ? GetRenderer.render(v, style, now(env))
                : Output.write(output.output, v));
  }

  private static Instant now(CliEnv env) {
    return env.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
  }
}
