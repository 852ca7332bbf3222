package io.modelrollout.operator.rollout;

import static io.modelrollout.operator.rollout.World.revisionOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelrollout.operator.api.BlueGreenSpec;
import io.modelrollout.operator.api.Condition;
import io.modelrollout.operator.api.HistoryEntry.Outcome;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.RolloutPolicySpec;
import io.modelrollout.operator.api.RolloutStrategy;
import io.modelrollout.operator.status.Conditions;
import io.modelrollout.operator.testing.Fixtures;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The blue-green strategy: preview, gates, an atomic switch, post-promotion gates. */
class BlueGreenEngineTest {
  static final String V1 = revisionOf("1.0.0");
  static final String V2 = revisionOf("2.0.0");
  World w;

  static RolloutPolicySpec policy(String autoPromotionAfter) {
    RolloutPolicySpec p = new RolloutPolicySpec();
    p.strategy = RolloutStrategy.BlueGreen;
    p.blueGreen = new BlueGreenSpec();
    p.blueGreen.previewReplicas = 1;
    p.blueGreen.autoPromotionAfter = autoPromotionAfter;
    p.blueGreen.prePromotionGates = List.of("smoke");
    p.blueGreen.postPromotionGates = List.of("errors");
    p.blueGreen.scaleDownDelay = "5s";
    p.progressDeadline = "2m";
    p.gates.add(Fixtures.gate("smoke", "smoke", 0.5));
    p.gates.add(Fixtures.gate("errors", "errors", 0.01));
    return p;
  }

  @BeforeEach
  void healthy() {
    w = new World(policy("30s"));
    w.step();
    w.podsReady();
    w.step();
    w.version = "2.0.0";
  }

  @Test
  void previewThenGatesThenAnAtomicSwitchThenPromotion() {
    RolloutDecision d = w.step();
    assertThat(d.status().currentStep).isEqualTo("preview with 1 pod");
    assertThat(d.replicas()).isEqualTo(Map.of(V1, 4, V2, 1));
    assertThat(d.canaryRevision()).as("the preview Service selects the new revision").isEqualTo(V2);
    assertThat(d.canaryWeight()).isZero();

    w.podsReady();
    d = w.step();
    assertThat(d.status().currentStep).isEqualTo("pre-promotion analysis smoke");
    assertThat(d.canaryWeight()).as("the preview gets no live traffic").isZero();
    w.gateValues.put("smoke", 0.0);
    w.step();
    w.advance(Duration.ofSeconds(1));
    d = w.step();
    assertThat(d.status().currentStep).isEqualTo("pause 30s");
    assertThat(d.requeueAfter()).isEqualTo(Duration.ofSeconds(30));

    w.advance(Duration.ofSeconds(30));
    d = w.step();
    assertThat(d.status().currentStep).isEqualTo("switch traffic");
    assertThat(d.replicas())
        .as("full size beside the old revision")
        .isEqualTo(Map.of(V1, 4, V2, 4));
    assertThat(d.canaryWeight()).as("no traffic until the new revision is fully ready").isZero();

    w.podsReady();
    d = w.step();
    assertThat(d.canaryWeight()).as("all traffic at once").isEqualTo(100);
    assertThat(d.status().currentStep).isEqualTo("post-promotion analysis errors");
    assertThat(d.replicas())
        .as("the old revision stays for an instant switch back")
        .isEqualTo(Map.of(V1, 4, V2, 4));

    w.gateValues.put("errors", 0.0);
    w.step();
    w.advance(Duration.ofSeconds(1));
    d = w.step();
    assertThat(d.status().stable.revision).isEqualTo(V2);
    assertThat(d.status().phase).isEqualTo(Phase.Healthy);
    assertThat(d.status().history.get(0).outcome).isEqualTo(Outcome.Promoted);
    w.advance(Duration.ofSeconds(5));
    assertThat(w.step().replicas()).isEqualTo(Map.of(V2, 4));
  }

  @Test
  void aFailedPostPromotionGateSwitchesBackAtOnce() {
    toPostPromotion();
    w.gateValues.put("errors", 0.2);
    RolloutDecision d = w.step();
    assertThat(d.canaryWeight()).isZero();
    assertThat(d.stableRevision()).isEqualTo(V1);
    assertThat(d.replicas()).isEqualTo(Map.of(V1, 4, V2, 0));
    assertThat(d.status().phase).isEqualTo(Phase.RolledBack);
    assertThat(Conditions.find(d.status().conditions, Condition.DEGRADED).message)
        .contains("gate errors failed: value 0.2");
  }

  @Test
  void withoutAutoPromotionItWaitsForAPromoteAction() {
    w.policy = policy(null);
    w.step();
    w.podsReady();
    w.step();
    w.gateValues.put("smoke", 0.0);
    w.step();
    w.advance(Duration.ofSeconds(1));
    RolloutDecision d = w.step();
    assertThat(d.status().phase).isEqualTo(Phase.Paused);
    assertThat(d.status().currentStep).isEqualTo("pause until promoted");
    w.advance(Duration.ofHours(1));
    assertThat(w.step().status().currentStep).isEqualTo("pause until promoted");
    w.action = "promote";
    assertThat(w.step().status().currentStep).isEqualTo("switch traffic");
  }

  @Test
  void aFailedPreviewGateRollsBackWithoutEverTakingTraffic() {
    w.step();
    w.podsReady();
    w.step();
    w.gateValues.put("smoke", 3.0);
    RolloutDecision d = w.step();
    assertThat(d.status().phase).isEqualTo(Phase.RolledBack);
    assertThat(d.canaryWeight()).isZero();
  }

  private void toPostPromotion() {
    w.step();
    w.podsReady();
    w.step();
    w.gateValues.put("smoke", 0.0);
    w.step();
    w.advance(Duration.ofSeconds(1));
    w.step();
    w.advance(Duration.ofSeconds(30));
    w.step();
    w.podsReady();
    RolloutDecision d = w.step();
    assertThat(d.canaryWeight()).isEqualTo(100);
  }
}
