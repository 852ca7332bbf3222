package io.modelrollout.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelrollout.operator.api.Condition;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.api.ModelDeploymentStatus.StaleRoute;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.RevisionStatus;
import io.modelrollout.operator.api.Weights;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The status a reconcile writes: conditions, then the phase from them, and their events. */
class StatusAggregatorTest {
  static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  static ModelDeploymentStatus healthy() {
    ModelDeploymentStatus s = new ModelDeploymentStatus();
    s.stable = new RevisionStatus("1.0.0", "r1", 3, 3);
    var f = new StatusAggregator.Facts(1, 3, "r1", Phase.Healthy, false, null, null, null);
    return StatusAggregator.applied(s, f, new Weights(100, 0), List.of(), "sel", null, T);
  }

  @Test
  void aHealthyStatusSaysWhatServes() {
    ModelDeploymentStatus s = healthy();
    assertThat(s.phase).isEqualTo(Phase.Healthy);
    assertThat(s.message).isEqualTo("version 1.0.0 is serving: 3/3 pods ready");
    assertThat(Conditions.find(s.conditions, Condition.DEGRADED).status).isEqualTo("False");
  }

  @Test
  void anInvalidSpecIsDegradedInBothThePhaseAndTheDegradedCondition() {
    ModelDeploymentStatus s =
        StatusAggregator.invalid(
            healthy(), 2, List.of("RolloutPolicy 'gone' not found in namespace 'ml'"), T);
    assertThat(s.phase).isEqualTo(Phase.Degraded);
    Condition degraded = Conditions.find(s.conditions, Condition.DEGRADED);
    assertThat(degraded.status).isEqualTo("True");
    assertThat(degraded.reason).isEqualTo("InvalidSpec");
    assertThat(s.message)
        .isEqualTo(
            "invalid spec: RolloutPolicy 'gone' not found in namespace 'ml'; version 1.0.0 keeps"
                + " serving");
    assertThat(StatusEvents.between(healthy(), s))
        .extracting(EventSpec::reason)
        .containsExactly("InvalidSpec");
  }

  @Test
  void anInvalidSpecMidRolloutSaysTheRolloutIsHeldNotThatStableServesAlone() {
    ModelDeploymentStatus mid = healthy();
    mid.canary = new io.modelrollout.operator.api.RevisionStatus();
    mid.canary.version = "2.0.0";
    ModelDeploymentStatus s =
        StatusAggregator.invalid(mid, 3, List.of("RolloutPolicy 'gone' not found"), T);
    assertThat(s.message)
        .isEqualTo(
            "invalid spec: RolloutPolicy 'gone' not found; the rollout of version 2.0.0 is held"
                + " where it is (its traffic share unchanged), version 1.0.0 keeps serving the"
                + " rest");
  }

  @Test
  void aFailedWriteIsDegradedWithTheErrorAndWarnsOncePerError() {
    ModelDeploymentStatus before = healthy();
    ModelDeploymentStatus failed =
        StatusAggregator.failed(
            StatusCopy.of(before),
            1,
            "cannot apply Service fraud-canary: Internal error occurred: failed to allocate a"
                + " serviceIP: range is full (HTTP 500)",
            T);
    assertThat(failed.phase).isEqualTo(Phase.Degraded);
    assertThat(failed.message).contains("range is full");
    assertThat(StatusEvents.between(before, failed))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.warning()).isTrue();
              assertThat(e.reason()).isEqualTo("ReconcileFailed");
            });
    ModelDeploymentStatus again =
        StatusAggregator.failed(StatusCopy.of(failed), 1, failed.message, T.plusSeconds(5));
    assertThat(StatusEvents.between(failed, again)).as("the same error, no new event").isEmpty();
    var f = new StatusAggregator.Facts(1, 3, "r1", Phase.Degraded, false, null, null, null);
    ModelDeploymentStatus recovered =
        StatusAggregator.applied(
            StatusCopy.of(again), f, new Weights(100, 0), List.of(), "sel", null, T);
    assertThat(recovered.phase).isEqualTo(Phase.Healthy);
  }

  @Test
  void aRouteThatCannotBeRemovedIsListedAndWarnedAbout() {
    var f = new StatusAggregator.Facts(1, 3, "r1", Phase.Healthy, false, null, null, null);
    List<StaleRoute> stale = List.of(new StaleRoute("GatewayAPI", "cannot remove: forbidden"));
    ModelDeploymentStatus s =
        StatusAggregator.applied(
            StatusCopy.of(healthy()), f, new Weights(100, 0), stale, "sel", null, T);
    assertThat(s.staleRoutes).hasSize(1);
    assertThat(StatusEvents.between(healthy(), s))
        .extracting(EventSpec::reason)
        .containsExactly("RouteRemovalFailed");
    assertThat(StatusEvents.between(s, s)).isEmpty();
  }
}
