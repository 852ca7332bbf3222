package io.modelrollout.operator.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.modelrollout.operator.api.ModelDeployment;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * promote, abort, retry, pause, resume: each sets the annotation {@code modelrollout.io/action}
 * (the GitOps-safe way: no spec edit), then waits until the operator has recorded it in {@code
 * status.lastAction} and removed the annotation, and prints what it did.
 */
final class ActionCommands {
  private ActionCommands() {}

  /** What every action command shares. */
  abstract static class Base implements Callable<Integer> {
    @ParentCommand ModelRolloutCli root;
    @Mixin KubeOptions kube;

    @Parameters(index = "0", paramLabel = "NAME", description = "The ModelDeployment.")
    String name;

    @Option(
        names = "--timeout",
        paramLabel = "DURATION",
        defaultValue = "60s",
        description = "How long to wait for the operator to act (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(
        names = "--no-wait",
        description = "Set the annotation and return without waiting for the operator.")
    boolean noWait;

    /** The annotation's value. */
    abstract String action();

    @Override
    public Integer call() throws InterruptedException {
      CliEnv env = root.env;
      kube.inherit(root.kube);
      String ns = kube.namespace();
      Duration max = KubeOptions.Durations.parse(timeout);
      String action = action();
      try (KubernetesClient c = kube.client()) {
        ModelDeployment before = Kube.get(c, ns, name);
        try {
          c.resources(ModelDeployment.class)
              .inNamespace(ns)
              .withName(name)
              .patch(
                  PatchContext.of(PatchType.JSON_MERGE),
                  "{\"metadata\":{\"annotations\":{\""
                      + ActionAck.ANNOTATION
                      + "\":\""
                      + action
                      + "\"}}}");
        } catch (KubernetesClientException e) {
          throw Kube.translate(e, "annotate modeldeployment " + name + " in namespace " + ns);
        }
        if (noWait) {
          env.out().println(name + ": " + ActionAck.ANNOTATION + "=" + action + " set");
          return ExitCodes.OK;
        }
        long deadline = System.nanoTime() + max.toNanos();
        try (ModelWatch w = new ModelWatch(c, ns, name, false)) {
          while (true) {
            ActionAck.Ack ack = ActionAck.evaluate(action, before, w.current());
            switch (ack.state()) {
              case APPLIED -> {
                env.out().println(name + ": " + action + ": " + ack.message());
                return ExitCodes.OK;
              }
              case REJECTED ->
                  throw new CliException(
                      ExitCodes.FAILED, name + ": " + action + " rejected: " + ack.message());
              case INVALID_SPEC ->
                  throw new CliException(ExitCodes.INVALID_SPEC, name + ": " + ack.message());
              case DELETED -> throw new CliException(ExitCodes.NOT_FOUND, name + " was deleted");
              case WAITING -> {}
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
              throw new CliException(
                  ExitCodes.TIMEOUT,
                  name
                      + ": the operator did not acknowledge '"
                      + action
                      + "' within "
                      + timeout
                      + " (is it running and watching namespace "
                      + ns
                      + "?); the annotation stays and will be acted on when it does");
            }
            w.awaitChange(Duration.ofNanos(left));
          }
        }
      }
    }
  }

  @Command(
      name = "promote",
      description = {
        "Promote the canary past its current step (a pause, an analysis, a blue-green preview).",
        "With --full, skip the remaining steps and promote it completely."
      })
  static final class Promote extends Base {
    @Option(names = "--full", description = "Skip all remaining steps (promote-full).")
    boolean full;

    @Override
    String action() {
      return full ? "promote-full" : "promote";
    }
  }

  @Command(
      name = "abort",
      description =
          "Abort the rollout: all traffic back to stable; the version is not retried until the spec"
              + " changes or a retry.")
  static final class Abort extends Base {
    @Override
    String action() {
      return "abort";
    }
  }

  @Command(
      name = "retry",
      description = "Roll out again a version that was rolled back or aborted.")
  static final class Retry extends Base {
    @Override
    String action() {
      return "retry";
    }
  }

  @Command(
      name = "pause",
      description =
          "Pause: a rollout in progress holds its step; a new version waits until resumed.")
  static final class Pause extends Base {
    @Override
    String action() {
      return "pause";
    }
  }

  @Command(name = "resume", description = "Resume after a pause action.")
  static final class Resume extends Base {
    @Override
    String action() {
      return "resume";
    }
  }
}
