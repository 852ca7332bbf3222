package io.modelrollout.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.RolloutPolicySpec;
import io.modelrollout.operator.api.RolloutSpec;
import io.modelrollout.operator.api.ShadowSpec;
import io.modelrollout.operator.rollout.RolloutPlan;
import io.modelrollout.operator.rollout.Stage;
import io.modelrollout.operator.testing.Fixtures;
import io.modelrollout.operator.testing.StrategyFixtures;
import org.junit.jupiter.api.Test;

/** A shadow whose follow-up canary is another RolloutPolicy: its steps and gates are inlined. */
class FollowUpPolicyTest {
  @Test
  void theFollowUpPolicysStepsAndGatesFollowTheShadow() {
    RolloutPolicySpec shadow = StrategyFixtures.shadow(20, "1m", ShadowSpec.FollowUp.Canary, 0.1);
    shadow.shadow.then.canary = null;
    shadow.shadow.then.policyRef = new RolloutSpec.PolicyRef();
    shadow.shadow.then.policyRef.name = "safe-canary";
    RolloutPolicySpec follow =
        Fixtures.canarySpec(2, CanaryStep.weight(30), CanaryStep.analysis("errors"));
    follow.gates.add(Fixtures.gate("errors", "errors{version=\"{{version}}\"}", 0.01));
    follow.gates.add(StrategyFixtures.psiGate("prediction-drift", 0.5)); // the shadow's wins

    RolloutPolicySpec merged = WorldReader.withFollowUp(shadow, follow);
    assertThat(shadow.shadow.then.canary).as("the input is not changed").isNull();
    assertThat(merged.gates).extracting(g -> g.name).containsExactly("prediction-drift", "errors");
    assertThat(merged.gates.get(0).comparison.maxPSI).isEqualTo(0.1);
    RolloutPlan plan = RolloutPlan.of(merged);
    assertThat(plan.stages().stream().map(Stage::describe))
        .containsExactly(
            "shadow with 1 pod, mirroring 20% of matching requests",
            "shadow analysis prediction-drift for 1m",
            "setMirror 0",
            "setWeight 30",
            "analysis errors",
            "promote");
    assertThat(plan.surge()).as("the follow-up's capacity").isEqualTo(2);
  }
}
