package io.modelrollout.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelrollout.operator.api.GateStatus;
import io.modelrollout.operator.api.HistoryEntry;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.api.RevisionStatus;
import io.modelrollout.operator.api.Verdict;
import io.modelrollout.operator.api.Weights;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusEventsTest {
  static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  ModelDeploymentStatus base() {
    ModelDeploymentStatus s = new ModelDeploymentStatus();
    s.stable = new RevisionStatus("1.0.0", "r1", 3, 3);
    s.weights = new Weights(100, 0);
    return s;
  }

  @Test
  void eachChangeTellsItsEventOnce() {
    ModelDeploymentStatus a = base();
    ModelDeploymentStatus b = base();
    b.canary = new RevisionStatus("2.0.0", "r2", 1, 1);
    b.currentStepIndex = 0;
    b.currentStep = "setWeight 10";
    b.weights = new Weights(90, 10);
    List<EventSpec> e = StatusEvents.between(a, b);
    assertThat(e)
        .extracting(EventSpec::reason)
        .containsExactly("RolloutStarted", "TrafficWeightUpdated");
    assertThat(e.get(1).message()).isEqualTo("canary 10%, stable 90%");
    assertThat(StatusEvents.between(b, b)).as("a retried reconcile emits nothing").isEmpty();
  }

  @Test
  void theAutoscalerMovingToAnotherDeploymentIsToldOnce() {
    ModelDeploymentStatus a = base();
    a.autoscaling = autoscaling("ranker-r1");
    ModelDeploymentStatus b = base();
    b.autoscaling = autoscaling("ranker-r2");
    assertThat(StatusEvents.between(a, b))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.reason()).isEqualTo(Reasons.AUTOSCALER_RETARGETED);
              assertThat(e.warning()).isFalse();
              assertThat(e.message())
                  .isEqualTo(
                      "HorizontalPodAutoscaler ranker now scales Deployment ranker-r2 (was"
                          + " ranker-r1)");
            });
    assertThat(StatusEvents.between(b, b)).as("a retried reconcile emits nothing").isEmpty();
    ModelDeploymentStatus scaled = base();
    scaled.autoscaling = autoscaling("ranker-r2");
    scaled.autoscaling.currentReplicas = 10;
    assertThat(StatusEvents.between(b, scaled)).as("the same target, another size").isEmpty();
    assertThat(StatusEvents.between(base(), b)).as("created, not moved").isEmpty();
    assertThat(StatusEvents.between(b, base())).as("removed, not moved").isEmpty();
  }

  static io.modelrollout.operator.api.AutoscalingStatus autoscaling(String target) {
    var s = new io.modelrollout.operator.api.AutoscalingStatus();
    s.hpa = "ranker";
    s.target = target;
    return s;
  }

  @Test
  void gateVerdictsAndRollbacksAreWarningsWithTheirValues() {
    ModelDeploymentStatus a = base();
    a.canary = new RevisionStatus("2.0.0", "r2", 1, 1);
    a.currentStepIndex = 2;
    GateStatus pending = new GateStatus();
    pending.name = "errors";
    pending.verdict = Verdict.Pending;
    a.gates = List.of(pending);
    ModelDeploymentStatus b = base();
    GateStatus failed = new GateStatus();
    failed.name = "errors";
    failed.verdict = Verdict.Fail;
    failed.value = 0.05;
    failed.threshold = "<= 0.01";
    b.gates = List.of(failed);
    b.history =
        List.of(
            new HistoryEntry(
                "2.0.0",
                "r2",
                HistoryEntry.Outcome.RolledBack,
                "gate errors failed",
                T.toString()));
    List<EventSpec> e = StatusEvents.between(a, b);
    assertThat(e).extracting(EventSpec::reason).containsExactly("RolledBack", "GateFailed");
    assertThat(e).allMatch(EventSpec::warning);
    assertThat(e.get(1).message()).isEqualTo("gate errors failed: value 0.05, threshold <= 0.01");
  }

  @Test
  void anUnknownActionIsAWarning() {
    ModelDeploymentStatus b = base();
    b.lastAction = new ModelDeploymentStatus.ActionRecord();
    b.lastAction.action = "yolo";
    b.lastAction.at = T.toString();
    b.lastAction.message = "unknown action 'yolo'; expected one of promote";
    b.lastAction.rejected = true;
    assertThat(StatusEvents.between(base(), b))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.warning()).isTrue();
              assertThat(e.reason()).isEqualTo("ActionRejected");
            });
  }

  @Test
  void conditionsKeepTheirTransitionTimeWhileUnchanged() {
    var c1 = Conditions.set(List.of(), "Ready", true, "Available", "3/3", 1, T);
    var c2 = Conditions.set(c1, "Ready", true, "Available", "4/4", 2, T.plusSeconds(60));
    assertThat(c2.get(0).lastTransitionTime).isEqualTo(T.toString());
    assertThat(c2.get(0).observedGeneration).isEqualTo(2L);
    var c3 = Conditions.set(c2, "Ready", false, "PodsNotReady", "2/4", 2, T.plusSeconds(90));
    assertThat(c3.get(0).lastTransitionTime).isEqualTo(T.plusSeconds(90).toString());
  }

  @Test
  void aGateMeasuredOnAfterItPassedTellsItOnceAndADecidedExperimentOnce() {
    ModelDeploymentStatus a = base();
    GateStatus g = new GateStatus();
    g.name = "drift";
    g.verdict = Verdict.Pass;
    g.successes = 2;
    g.measuredAt = T.toString();
    a.gates = List.of(g);
    ModelDeploymentStatus b = base();
    GateStatus again = new GateStatus();
    again.name = "drift";
    again.verdict = Verdict.Pass;
    again.successes = 3;
    again.measuredAt = T.plusSeconds(2).toString();
    b.gates = List.of(again);
    assertThat(StatusEvents.between(a, b)).as("still passing through the duration").isEmpty();

    ModelDeploymentStatus c = base();
    c.experiment = new io.modelrollout.operator.api.ExperimentStatus();
    c.experiment.version = "2.0.0";
    c.experiment.startedAt = T.toString();
    c.experiment.decision = io.modelrollout.operator.api.ExperimentStatus.Decision.Invalid;
    c.experiment.message = "sample ratio mismatch";
    List<EventSpec> e = StatusEvents.between(a, c);
    assertThat(e)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.reason()).isEqualTo("SampleRatioMismatch");
              assertThat(x.warning()).isTrue();
            });
    assertThat(StatusEvents.between(c, c)).isEmpty();
  }
}
