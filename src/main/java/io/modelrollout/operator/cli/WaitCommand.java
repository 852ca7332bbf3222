package io.modelrollout.operator.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelrollout.operator.api.BatchStatus;
import io.modelrollout.operator.api.EdgeStatus;
import io.modelrollout.operator.api.ExperimentStatus;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.cli.WaitCondition.Result;
import io.modelrollout.operator.cli.WaitCondition.Target;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code wait NAME --for=...}: for pipelines, with an exit code per outcome. */
@Command(
    name = "wait",
    description = {
      "Wait until the version applied is promoted (default), the ModelDeployment is healthy, the"
          + " version is rolled back, or a phase is reached; for pipelines.",
      "Waits on the spec as it is now: only a status computed from this generation (or later)"
          + " counts, never a previous rollout's result. Progress goes to stderr, the result to"
          + " stdout.",
      "Exit codes: 0 promoted/healthy (or the condition met), 1 rolled back, aborted or superseded"
          + " (with the reason and the gate evidence), 2 timeout, 3 invalid spec, 4 not found or"
          + " no permission."
    })
class WaitCommand implements Callable<Integer> {
  @ParentCommand ModelRolloutCli root;
  @Mixin KubeOptions kube;
  @Mixin OutputOptions output;

  @Parameters(index = "0", paramLabel = "NAME", description = "The ModelDeployment.")
  String name;

  @Option(
      names = "--for",
      paramLabel = "CONDITION",
      defaultValue = "promoted",
      description = "promoted, healthy, rolledback or phase=<Phase> (default: ${DEFAULT-VALUE}).")
  String condition;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "10m",
      description =
          "How long to wait, e.g. 90s, 15m, 1h (default: ${DEFAULT-VALUE}; 0: look once).")
  String timeout;

  /** The document of -o json|yaml. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Doc(
      String name,
      String namespace,
      String condition,
      String result,
      int exitCode,
      String reason,
      Long generation,
      Long observedGeneration,
      String version,
      String revision,
      Phase phase,
      String message,
      RolloutView.Revision stable,
      RolloutView.Revision canary,
      List<RolloutView.Gate> gates,
      ExperimentStatus experiment,
      BatchStatus.ValidationRun validation,
      EdgeStatus edge,
      RolloutView.History history,
      Long waitedSeconds) {}

  @Override
  public Integer call() throws InterruptedException {
    CliEnv env = root.env;
    kube.inherit(root.kube);
    WaitCondition cond;
    try {
      cond = WaitCondition.parse(condition);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, e.getMessage());
    }
    Duration max = KubeOptions.Durations.parse(timeout);
    String ns = kube.namespace();
    Instant start = env.clock().instant();
    try (KubernetesClient c = kube.client()) {
      ModelDeployment md;
      try {
        md = Kube.get(c, ns, name);
      } catch (CliException e) {
        return fail(env, cond, e, ns);
      }
      Target target = Target.of(md);
      env.err()
          .printf(
              "waiting for %s (version %s, revision %s, generation %d) to be %s%n",
              name, target.version(), target.revision(), target.generation(), cond);
      env.err().flush();
      long deadline = System.nanoTime() + max.toNanos();
      String lastProgress = null;
      try (ModelWatch w = new ModelWatch(c, ns, name, false)) {
        while (true) {
          ModelDeployment now = w.current();
          WaitCondition.Verdict v = cond.evaluate(target, now);
          if (v.result() != Result.WAITING) {
            return finish(
                env,
                c,
                cond,
                target,
                now,
                v.result() == Result.MET ? cond.metName() : v.result().name(),
                v.result().exitCode,
                v.reason(),
                start);
          }
          String progress = progress(now);
          if (!Objects.equals(progress, lastProgress)) {
            env.err()
                .printf(
                    "[%s] %s%n",
                    Ages.human(Duration.between(start, env.clock().instant())), progress);
            env.err().flush();
            lastProgress = progress;
          }
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return finish(
                env,
                c,
                cond,
                target,
                now,
                "TIMEOUT",
                ExitCodes.TIMEOUT,
                "timed out after " + timeout + " waiting for " + cond + "; now: " + progress,
                start);
          }
          w.awaitChange(Duration.ofNanos(left));
        }
      }
    }
  }

  private static String progress(ModelDeployment md) {
    if (md.getStatus() == null) {
      return "no status yet";
    }
    var st = md.getStatus();
    String weight =
        st.weights == null || st.canary == null || st.weights.canary == null
            ? ""
            : " (canary " + st.weights.canary + "%)";
    boolean stale =
        st.observedGeneration == null || st.observedGeneration < md.getMetadata().getGeneration();
    return (stale
            ? "the operator has not acted on generation "
                + md.getMetadata().getGeneration()
                + " yet; "
            : "")
        + st.phase
        + ": "
        + st.message
        + weight;
  }

  private int finish(
      CliEnv env,
      KubernetesClient c,
      WaitCondition cond,
      Target target,
      ModelDeployment md,
      String result,
      int code,
      String reason,
      Instant start) {
    Instant now = env.clock().instant().truncatedTo(ChronoUnit.SECONDS);
    RolloutView v =
        md == null
            ? null
            : RolloutView.of(
                md, Kube.policy(c, md), Kube.events(c, md.getMetadata().getNamespace(), name), now);
    RolloutView.History h = historyOf(v, target);
    ExperimentStatus experiment = experimentOf(v, target);
    BatchStatus.ValidationRun validation = validationOf(v, target);
    if (output.output != null) {
      env.out()
          .print(
              Output.write(
                  output.output,
                  new Doc(
                      name,
                      kube.namespace(),
                      cond.toString(),
                      camel(result),
                      code,
                      reason,
                      target.generation(),
                      v == null ? null : v.observedGeneration(),
                      target.version(),
                      target.revision(),
                      v == null ? null : v.phase(),
                      v == null ? null : v.message(),
                      v == null ? null : v.stable(),
                      v == null ? null : v.canary(),
                      v == null ? null : v.gates(),
                      experiment,
                      validation,
                      v == null ? null : v.edge(),
                      h,
                      Duration.between(start, env.clock().instant()).getSeconds())));
      if (code != ExitCodes.OK) {
        env.err().println(name + ": " + reason);
      }
      return code;
    }
    env.out().print(text(name, reason, code, v, target, output.style(env), now));
    return code;
  }

  /** The history entry of the version waited on, or null. */
  static RolloutView.History historyOf(RolloutView v, Target target) {
    return v == null
        ? null
        : v.history().stream()
            .filter(x -> target.revision().equals(x.revision()))
            .findFirst()
            .orElse(null);
  }

  /** The A/B test of the version waited on, or null: the evidence of its outcome. */
  static ExperimentStatus experimentOf(RolloutView v, Target target) {
    return v == null
            || v.experiment() == null
            || !Objects.equals(target.version(), v.experiment().version)
        ? null
        : v.experiment();
  }

  /** The validation Job of the revision waited on (Batch), or null. */
  static BatchStatus.ValidationRun validationOf(RolloutView v, Target target) {
    return v == null
            || v.batch() == null
            || v.batch().validation == null
            || !Objects.equals(target.revision(), v.batch().validation.revision)
        ? null
        : v.batch().validation;
  }

  /**
   * The text result (pure): the reason, and when the version did not get through, the evidence: its
   * gates, its A/B test, its validation Job, its history entry.
   */
  static String text(
      String name, String reason, int code, RolloutView v, Target target, Style s, Instant now) {
    if (code == ExitCodes.OK) {
      return name + ": " + reason + "\n";
    }
    List<String> out = new java.util.ArrayList<>();
    out.add(s.red(name + ": " + reason));
    boolean evidence = v != null && code != ExitCodes.INVALID_SPEC;
    if (evidence && !v.gates().isEmpty()) {
      out.add("");
      out.add(s.bold("Gates (the evidence):"));
      out.addAll(GetRenderer.gateLines(v, s, now));
    }
    if (evidence && experimentOf(v, target) != null) {
      out.add("");
      out.add(s.bold("A/B test (the evidence):"));
      out.addAll(GetRenderer.experimentLines(v, s, now));
    }
    if (evidence && validationOf(v, target) != null) {
      out.add("");
      out.add(s.bold("Batch (the evidence):"));
      out.addAll(GetRenderer.batchLines(v, s, now));
    }
    RolloutView.History h = historyOf(v, target);
    if (h != null && code == ExitCodes.FAILED) {
      out.add("");
      out.add(s.bold("History:"));
      out.addAll(GetRenderer.historyTable(List.of(h), s, now, 1, "  ").lines());
    }
    return String.join("\n", out) + "\n";
  }

  private int fail(CliEnv env, WaitCondition cond, CliException e, String ns) {
    if (output.output == null) {
      throw e;
    }
    env.out()
        .print(
            Output.write(
                output.output,
                new Doc(
                    name,
                    ns,
                    cond.toString(),
                    e.exitCode == ExitCodes.NOT_FOUND ? "NotFound" : "Error",
                    e.exitCode,
                    e.getMessage(),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    0L)));
    env.err().println("error: " + e.getMessage());
    return e.exitCode;
  }

  /** ROLLED_BACK as RolledBack. */
  static String camel(String result) {
    StringBuilder sb = new StringBuilder();
    for (String part : result.split("_")) {
      sb.append(part.charAt(0)).append(part.substring(1).toLowerCase());
    }
    return sb.toString();
  }
}
