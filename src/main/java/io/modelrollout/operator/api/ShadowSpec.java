package io.modelrollout.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * A shadow rollout: the new revision receives a mirrored copy of live requests (responses
 * discarded) while gates compare it with stable; then it is promoted as {@code then} says.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ShadowSpec {
  @Required
  @Min(1)
  @Max(100)
  @JsonPropertyDescription(
      "Percentage of live requests mirrored to the shadow (Gateway API RequestMirror, Istio"
          + " mirror); users always get stable's response.")
  public Integer mirrorPercent;

  @Size(max = 8)
  @JsonPropertyDescription(
      "Mirror only requests that match any of these (e.g. POST to the predict path, so writes"
          + " are never replayed); omit to mirror every request.")
  public List<RequestMatch> match;

  @Min(1)
  @Default("1")
  @JsonPropertyDescription(
      "Pods of the shadow. They come from the surge (at most canary.maxSurge of a follow-up"
          + " canary, default 1).")
  public Integer replicas;

  @Required
  @Size(max = 32)
  @ValidationRule(value = Durations.RULE, message = "shadow.duration " + Durations.MESSAGE)
  @JsonPropertyDescription(
      "How long the gates compare the shadow with stable; every gate keeps being measured"
          + " until then and must pass at the end.")
  public String duration;

  @Min(0)
  @Default("100")
  @JsonPropertyDescription(
      "Mirrored predictions (the shadow's histogram or class count) a comparison gate needs"
          + " before it counts a measurement.")
  public Integer minSamples;

  @Required
  @Size(min = 1, max = 10)
  @JsonPropertyDescription(
      "Names of gates (from the policy's gates) that compare the shadow with stable: relative"
          + " gates (compareTo: Stable) and comparison gates on predictions.")
  public List<String> gates;

  @JsonPropertyDescription(
      "What follows a shadow whose gates passed: a canary, a direct promotion, or a person's"
          + " decision (default).")
  public Then then;

  /** What follows a successful shadow. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value =
          "!has(self.strategy) || self.strategy != 'Canary' || has(self.canary) != has(self.policyRef)",
      message = "then.strategy Canary needs exactly one of then.canary or then.policyRef")
  @ValidationRule(
      value =
          "(has(self.strategy) && self.strategy == 'Canary') || (!has(self.canary) && !has(self.policyRef))",
      message = "then.canary and then.policyRef are only used with then.strategy Canary")
  public static class Then {
    @Default("Manual")
    @JsonPropertyDescription(
        "Manual (wait for a promote or abort action), Direct (promote at once: the shadow scales"
            + " to full size and takes the traffic), or Canary (walk canary steps).")
    public FollowUp strategy;

    @JsonPropertyDescription("The canary steps and capacity after the shadow (strategy Canary).")
    public CanarySpec canary;

    @JsonPropertyDescription(
        "A RolloutPolicy in the same namespace whose canary steps follow the shadow (strategy"
            + " Canary); read at each reconcile.")
    public RolloutSpec.PolicyRef policyRef;

    public FollowUp strategyOrDefault() {
      return strategy == null ? FollowUp.Manual : strategy;
    }
  }

  /** What follows a shadow. */
  public enum FollowUp {
    Manual,
    Direct,
    Canary
  }

  public int replicasOrDefault() {
    return replicas == null ? 1 : replicas;
  }

  public int minSamplesOrDefault() {
    return minSamples == null ? 100 : minSamples;
  }
}
