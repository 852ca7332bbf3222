package io.modelrollout.operator.rollout;

import static io.modelrollout.operator.rollout.World.revisionOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.Condition;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.RolloutPolicySpec;
import io.modelrollout.operator.status.Conditions;
import io.modelrollout.operator.testing.Fixtures;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Ending a canary early (a failed gate, an abort, a new version) takes its traffic at once, scales
 * stable back to full size, and keeps the canary's pods until stable is ready again, at the latest
 * until scaleDownDelay. With maxSurge 0 and maxUnavailable 1, at 50%: stable 2, canary 2.
 */
class RollbackCapacityTest {
  static final String V1 = revisionOf("1.0.0");
  static final String V2 = revisionOf("2.0.0");
  World w;

  @BeforeEach
  void atFiftyPercentWithoutSurge() {
    RolloutPolicySpec p =
        Fixtures.canarySpec(0, 1, CanaryStep.weight(50), CanaryStep.analysis("errors"));
    p.gates.add(Fixtures.gate("errors", "errors{version=\"{{version}}\"}", 0.01));
    w = new World(p);
    w.settle();
    w.version = "2.0.0";
    RolloutDecision d = w.settle();
    assertThat(d.status().currentStep).isEqualTo("analysis errors");
    assertThat(d.canaryWeight()).isEqualTo(50);
    assertThat(d.replicas()).containsEntry(V1, 2).containsEntry(V2, 2);
  }

  @Test
  void aFailedGateTakesTrafficAtOnceAndTheCanaryGoesOnceStableIsReady() {
    w.gateValues.put("errors", 0.5);
    w.advance(Duration.ofSeconds(1)); // the gate is due again
    RolloutDecision d = w.step();
    assertThat(d.status().phase).isEqualTo(Phase.RolledBack);
    assertThat(d.canaryWeight()).as("traffic leaves the canary at once").isZero();
    assertThat(d.replicas()).as("stable back to full size, canary pods kept").containsEntry(V1, 4);
    assertThat(w.ready(V2)).isEqualTo(2);
    assertThat(d.status().scaleDown)
        .singleElement()
        .satisfies(s -> assertThat(s.afterStableReady).isTrue());

    w.podsReady(V1, 1);
    d = w.step();
    assertThat(d.replicas()).as("3 of 4 stable pods ready: still kept").containsEntry(V2, 2);
    w.podsReady(V1, 1);
    d = w.step();
    assertThat(d.replicas()).as("stable ready at full size: the canary goes").containsEntry(V2, 0);
    assertThat(d.status().scaleDown).isEmpty();
    assertThat(Conditions.find(d.status().conditions, Condition.READY).status).isEqualTo("True");
  }

  @Test
  void whenStableCannotGetReadyTheCanaryPodsGoAfterScaleDownDelay() {
    w.held.add(V1); // the cluster has no room for stable's pods while the canary holds them
    w.gateValues.put("errors", 0.5);
    w.advance(Duration.ofSeconds(1)); // the gate is due again
    RolloutDecision d = w.step();
    assertThat(d.requeueAfter()).isEqualTo(Duration.ofSeconds(2));
    w.advance(Duration.ofSeconds(1));
    assertThat(w.step().replicas()).containsEntry(V2, 2);
    w.advance(Duration.ofSeconds(1));
    assertThat(w.step().replicas()).containsEntry(V2, 0);
  }

  @Test
  void anAbortKeepsCapacityTheSameWay() {
    w.action = "abort";
    RolloutDecision d = w.step();
    assertThat(d.canaryWeight()).isZero();
    assertThat(d.replicas()).containsEntry(V1, 4).containsEntry(V2, 2);
    w.podsReady();
    assertThat(w.step().replicas()).containsEntry(V2, 0);
  }

  @Test
  void aNewVersionSupersedesTheCanaryWithoutACapacityHole() {
    String v3 = revisionOf("3.0.0");
    w.version = "3.0.0";
    RolloutDecision d = w.step();
    assertThat(d.status().canary.version).isEqualTo("3.0.0");
    assertThat(d.canaryWeight()).isZero();
    assertThat(d.replicas()).containsEntry(V2, 2);
    assertThat(d.replicas().get(v3)).as("the leaving canary's pods use the pod budget").isZero();
    w.podsReady();
    d = w.step();
    assertThat(d.replicas()).doesNotContainKey(V2);
    d = w.settle();
    assertThat(d.status().currentStep).isEqualTo("analysis errors");
    assertThat(d.canaryWeight()).isEqualTo(50);
  }

  @Test
  void aCanaryWhosePodsNeverBecomeReadyRollsBackWithStableIntact() {
    w.version = "3.0.0";
    w.held.add(revisionOf("3.0.0"));
    w.podsReady();
    RolloutDecision d = null;
    for (int i = 0; i < 70; i++) {
      d = w.step();
      w.podsReady();
      w.advance(Duration.ofSeconds(1));
    }
    assertThat(d.status().phase).isEqualTo(Phase.RolledBack);
    assertThat(d.status().message).contains("had 0/2 ready pods at step 'setWeight 50'");
    assertThat(w.ready(V1)).isEqualTo(4);
  }
}
