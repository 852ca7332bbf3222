package io.modelrollout.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.GateStatus;
import io.modelrollout.operator.api.HistoryEntry.Outcome;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.RolloutPolicy;
import io.modelrollout.operator.install.OperatorProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SIGKILL mid-step: the operator dies during a pause and during an analysis and starts again; the
 * rollout goes on at the same step with the same timer and the gate counters last written (those
 * held back by the status flush interval are measured again), no step is skipped or repeated, and
 * the route's weights never flap.
 */
class CrashE2EIT extends E2EBase {
  /**
   * Gate counters reach status every 3 s (the default 10 s would write this 8 s analysis with its
   * verdict only): the kill comes after some were written and before the verdict.
   */
  static final Map<String, String> FLUSH = Map.of("MRO_STATUS_FLUSH_INTERVAL", "3s");

  @Test
  void aKilledOperatorResumesAtTheSameStepWithTheSameCounters() throws Exception {
    long t0 = System.nanoTime();
    String ns = cluster.newNamespace("e2e-crash");
    RolloutPolicy p =
        canaryPolicy(
            ns,
            "steps",
            CanaryStep.weight(20),
            CanaryStep.pause("15s"),
            CanaryStep.analysis("errors"),
            CanaryStep.weight(60),
            CanaryStep.pause("3s"));
    p.getSpec().gates.get(0).count = 4;
    p.getSpec().gates.get(0).interval = "2s";
    admin.resource(p).create();
    admin.resource(routed(ns, "fraud", "steps", 2)).create();
    errors("fraud", "2.0.0", 0.001);
    OperatorProcess operator = operator("crash-1", null, FLUSH);
    long peak = 0;
    try (RouteLog log = new RouteLog(admin, ns, "fraud")) {
      awaitMd(ns, "fraud", Duration.ofSeconds(60), m -> m.getStatus().phase == Phase.Healthy);
      version(ns, "fraud", "2.0.0");

      // killed during the pause: the pause keeps its start
      ModelDeployment pausing =
          awaitMd(
              ns,
              "fraud",
              Duration.ofSeconds(60),
              m -> "pause 15s".equals(m.getStatus().currentStep));
      String pauseStarted = pausing.getStatus().stepStartedAt;
      peak = Math.max(peak, operator.peakRssMiB());
      operator.kill();
      operator = operator("crash-2", null, FLUSH);
      ModelDeployment resumed =
          awaitMd(
              ns, "fraud", Duration.ofSeconds(10), m -> m.getStatus().observedGeneration != null);
      assertThat(resumed.getStatus().currentStep).isEqualTo("pause 15s");
      assertThat(resumed.getStatus().stepStartedAt)
          .as("the pause is not restarted")
          .isEqualTo(pauseStarted);

      // killed during the analysis: its counters go on
      ModelDeployment measuring =
          awaitMd(
              ns,
              "fraud",
              Duration.ofSeconds(60),
              m -> "analysis errors".equals(m.getStatus().currentStep) && successes(m) >= 2);
      int before = successes(measuring);
      String analysisStarted = measuring.getStatus().stepStartedAt;
      peak = Math.max(peak, operator.peakRssMiB());
      operator.kill();
      operator = operator("crash-3", null, FLUSH);
      ModelDeployment after =
          awaitMd(
              ns,
              "fraud",
              Duration.ofSeconds(60),
              m -> !"analysis errors".equals(m.getStatus().currentStep) || successes(m) > before);
      if ("analysis errors".equals(after.getStatus().currentStep)) {
        assertThat(after.getStatus().stepStartedAt).isEqualTo(analysisStarted);
        assertThat(successes(after)).isEqualTo(before + 1);
      }
      ModelDeployment done =
          awaitMd(
              ns,
              "fraud",
              Duration.ofSeconds(60),
              m -> m.getStatus().canary == null && "2.0.0".equals(m.getStatus().stable.version));
      assertThat(done.getStatus().history.get(0).outcome).isEqualTo(Outcome.Promoted);
      assertThat(done.getStatus().history.get(0).reason).isEqualTo("completed 5 steps");
      List<Integer> weights = log.weights();
      assertThat(weights)
          .as("from rest, through the steps, to rest")
          .startsWith(0, 20)
          .endsWith(100, 0)
          .contains(60);
      assertThat(weights.subList(1, weights.size() - 1))
          .as("no step repeated, no flapping: the weight only rises (%s)", weights)
          .isSorted()
          .doesNotHaveDuplicates();
      eventually(ns, "RolloutStarted", es -> assertThat(es).hasSize(1));
      eventually(ns, "StepAdvanced", es -> assertThat(es).as("one per step").hasSize(5));
      eventually(ns, "GatePassed", es -> assertThat(es).hasSize(1));
      peak = Math.max(peak, operator.peakRssMiB());
    } finally {
      operator.close();
    }
    E2EReport.scenario("SIGKILL during a pause and during an analysis", t0, peak);
  }

  private static int successes(ModelDeployment m) {
    return m.getStatus().gates.stream()
        .filter(g -> "errors".equals(g.name))
        .map(g -> g.successes == null ? 0 : g.successes)
        .findFirst()
        .orElse(0);
  }

  @SuppressWarnings("unused")
  private static GateStatus gate(ModelDeployment m) {
    return m.getStatus().gates.isEmpty() ? null : m.getStatus().gates.get(0);
  }
}
