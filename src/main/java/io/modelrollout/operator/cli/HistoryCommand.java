package io.modelrollout.operator.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelrollout.operator.api.ModelDeployment;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code history NAME}: the versions rolled out, newest first. */
@Command(
    name = "history",
    description =
        "The versions rolled out, newest first: outcome, reason, when it ended and how long it took.")
class HistoryCommand implements Callable<Integer> {
  @ParentCommand ModelRolloutCli root;
  @Mixin KubeOptions kube;
  @Mixin OutputOptions output;

  @Parameters(index = "0", paramLabel = "NAME", description = "The ModelDeployment.")
  String name;

  /** The document of -o json|yaml. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Doc(
      String name,
      String namespace,
      RolloutView.Rollout inProgress,
      RolloutView.Revision canary,
      List<RolloutView.History> items) {}

  @Override
  public Integer call() {
    CliEnv env = root.env;
    kube.inherit(root.kube);
    String ns = kube.namespace();
    Instant now = env.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    try (KubernetesClient c = kube.client()) {
      ModelDeployment md = Kube.get(c, ns, name);
      RolloutView v =
          RolloutView.of(md, RolloutView.PolicyInfo.none(), Kube.events(c, ns, name), now);
      boolean running = v.canary() != null && v.rollout() != null;
      if (output.output != null) {
        env.out()
            .print(
                Output.write(
                    output.output,
                    new Doc(
                        v.name(),
                        v.namespace(),
                        running ? v.rollout() : null,
                        running ? v.canary() : null,
                        v.history())));
        return ExitCodes.OK;
      }
      Style s = output.style(env);
      Table t = new Table("", "VERSION", "REVISION", "OUTCOME", "ENDED", "DURATION", "REASON");
      if (running) {
        Instant started = Ages.parse(v.rollout().startedAt());
        t.row(
            v.canary().version(),
            v.canary().revision(),
            s.bold("InProgress"),
            "-",
            started == null ? "-" : Ages.human(Duration.between(started, now)),
            "at step " + (v.rollout().currentStepIndex() + 1) + ": " + v.rollout().currentStep());
      }
      GetRenderer.historyRows(t, v.history(), s, now, Integer.MAX_VALUE);
      if (!t.isEmpty()) {
        t.lines().forEach(env.out()::println);
      }
      if (v.history().isEmpty() && !running) {
        env.err().println("No history yet.");
      }
      return ExitCodes.OK;
    }
  }
}
