package io.modelrollout.operator.rollout;

import static io.modelrollout.operator.rollout.World.revisionOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelrollout.operator.api.BlueGreenSpec;
import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.RolloutPolicySpec;
import io.modelrollout.operator.api.RolloutStrategy;
import io.modelrollout.operator.testing.Fixtures;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The canary of an autoscaled model through the simulated world: its autoscaler owns the stable
 * revision's size, the canary is sized from its weight and that size, stable never shrinks during
 * the rollout, and promotion waits until the canary has the stable's size, ready.
 */
class AutoscaledCanaryTest {
  static final String V1 = revisionOf("1.0.0");
  static final String V2 = revisionOf("2.0.0");

  static RolloutPolicySpec policy() {
    // a GPU policy: no surge; an autoscaled model's canary comes on top of stable anyway
    return Fixtures.canarySpec(
        0, 1, CanaryStep.weight(20), CanaryStep.pause(null), CanaryStep.weight(50));
  }

  /** The world with the autoscaler at {@code size} pods of stable. */
  static void autoscalerAt(World w, RolloutPolicySpec base, int size) {
    w.replicas = size;
    w.policy = Autoscaled.policy(base, size);
  }

  @Test
  void aCanaryAtTwentyPercentOfTenStablePodsHasTwoAndStableKeepsItsTen() {
    RolloutPolicySpec base = policy();
    World w = new World(base);
    w.checkSurge = true;
    autoscalerAt(w, base, 10);
    w.settle();
    w.version = "2.0.0";
    RolloutDecision d = w.settle();
    assertThat(d.status().currentStep).isEqualTo("pause until promoted");
    assertThat(d.replicas()).isEqualTo(Map.of(V1, 10, V2, 2));
    assertThat(d.canaryWeight()).isEqualTo(20);

    // the autoscaler scales stable out: the canary follows
    autoscalerAt(w, base, 15);
    d = w.settle();
    assertThat(d.replicas()).isEqualTo(Map.of(V1, 15, V2, 3));

    w.action = "promote";
    for (int i = 0; i < 10 && w.status().canary != null; i++) {
      d = w.step();
      assertThat(d.replicas().get(V1))
          .as("stable keeps its size until the canary has it, ready")
          .isEqualTo(15);
      w.podsReady();
    }
    d = w.settle();
    assertThat(w.status().stable.revision).isEqualTo(V2);
    assertThat(d.replicas().get(V2)).isEqualTo(15);
  }

  @Test
  void blueGreenAndNoPolicyAreLeftAsTheyAre() {
    RolloutPolicySpec bg = new RolloutPolicySpec();
    bg.strategy = RolloutStrategy.BlueGreen;
    bg.blueGreen = new BlueGreenSpec();
    assertThat(Autoscaled.policy(bg, 7)).isSameAs(bg);
    assertThat(Autoscaled.policy(null, 7)).isNull();
    RolloutPolicySpec c = policy();
    RolloutPolicySpec a = Autoscaled.policy(c, 7);
    assertThat(a.canary.maxSurge).isEqualTo(7);
    assertThat(a.canary.maxUnavailable).isZero();
    assertThat(c.canary.maxSurge).as("the user's policy is not changed").isZero();
  }
}
