package io.modelrollout.operator.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** The strategy, stages, gates and deadlines of a rollout. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.strategy != 'Canary' || has(self.canary)",
    message = "canary (with at least one step) is required when strategy is Canary")
@ValidationRule(
    value =
        "!has(self.gates) || self.gates.all(g, self.gates.filter(x, x.name == g.name).size() == 1)",
    message = "gate names must be unique")
@ValidationRule(
    value =
        "!has(self.canary) || self.canary.steps.all(s, !has(s.analysis) ||"
            + " s.analysis.gates.all(n, has(self.gates) && self.gates.exists(g, g.name == n)))",
    message = "every gate named in a canary analysis step must be defined in gates")
@ValidationRule(
    value =
        "!has(self.blueGreen) || ((!has(self.blueGreen.prePromotionGates) ||"
            + " self.blueGreen.prePromotionGates.all(n, has(self.gates) && self.gates.exists(g,"
            + " g.name == n))) && (!has(self.blueGreen.postPromotionGates) ||"
            + " self.blueGreen.postPromotionGates.all(n, has(self.gates) &&"
            + " self.gates.exists(g, g.name == n))))",
    message =
        "every gate named in blueGreen.prePromotionGates or postPromotionGates must be defined"
            + " in gates")
@ValidationRule(
    value = "self.strategy != 'Shadow' || has(self.shadow)",
    message = "shadow is required when strategy is Shadow")
@ValidationRule(
    value = "self.strategy != 'ABTest' || has(self.abTest)",
    message = "abTest is required when strategy is ABTest")
@ValidationRule(
    value =
        "!has(self.shadow) || self.shadow.gates.all(n, has(self.gates) && self.gates.exists(g,"
            + " g.name == n))",
    message = "every gate named in shadow.gates must be defined in gates")
@ValidationRule(
    value =
        "!has(self.abTest) || !has(self.abTest.guardrails) || self.abTest.guardrails.all(n,"
            + " has(self.gates) && self.gates.exists(g, g.name == n))",
    message = "every gate named in abTest.guardrails must be defined in gates")
@JsonClassDescription("The strategy, stages, metric gates and deadlines of a rollout.")
public class RolloutPolicySpec {
  @Required
  @JsonPropertyDescription(
      "Canary (weighted steps), BlueGreen (preview, then an atomic switch), Shadow (mirrored"
          + " requests, predictions compared with stable, no user sees the new version) or"
          + " ABTest (both versions serve users; a statistical test picks the winner).")
  public RolloutStrategy strategy;

  @JsonPropertyDescription("Steps and capacity of a canary rollout.")
  public CanarySpec canary;

  @JsonPropertyDescription("Preview, promotion and gates of a blue-green rollout.")
  public BlueGreenSpec blueGreen;

  @JsonPropertyDescription("Mirroring, comparison gates and follow-up of a shadow rollout.")
  public ShadowSpec shadow;

  @JsonPropertyDescription("Split, metrics, statistics and decisions of an A/B test.")
  public ABTestSpec abTest;

  @Size(max = 20)
  @JsonPropertyDescription("Metric gates that analysis steps and blue-green promotion refer to.")
  public List<GateSpec> gates = new ArrayList<>();

  @Default("10m")
  @Size(max = 32)
  @ValidationRule(value = Durations.RULE, message = "progressDeadline " + Durations.MESSAGE)
  @JsonPropertyDescription(
      "How long the new revision's pods may take to become ready at a step before the rollout"
          + " is rolled back.")
  public String progressDeadline;

  @JsonPropertyDescription("What happens when a gate fails or the deadline passes.")
  public RollbackSpec rollback;

  /** Rollback behaviour. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class RollbackSpec {
    @Default("true")
    @JsonPropertyDescription(
        "Roll back automatically on a failed gate or a missed deadline (default true). When"
            + " false the rollout pauses instead and waits for a promote or abort action.")
    public Boolean automatic;
  }

  public boolean automaticRollback() {
    return rollback == null || rollback.automatic == null || rollback.automatic;
  }
}
