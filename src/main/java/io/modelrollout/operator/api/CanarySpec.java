package io.modelrollout.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Steps and capacity of a canary rollout. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "(has(self.maxSurge) && self.maxSurge > 0) || (has(self.maxUnavailable) &&"
            + " self.maxUnavailable > 0)",
    message =
        "maxSurge and maxUnavailable cannot both be 0: the canary needs either a pod above"
            + " spec.replicas (maxSurge) or a stable pod it may take the place of"
            + " (maxUnavailable)")
public class CanarySpec {
  @Required
  @Size(min = 1, max = 50)
  @JsonPropertyDescription(
      "The stages, in order. After the last one the canary is promoted (weight 100, then it"
          + " becomes stable).")
  public List<CanaryStep> steps;

  @Min(0)
  @Default("1")
  @JsonPropertyDescription(
      "Pods allowed above spec.replicas during the rollout. 0 means the canary takes its pods"
          + " from stable, so the rollout never needs extra capacity (GPU-friendly); it then"
          + " needs maxUnavailable of at least 1.")
  public Integer maxSurge;

  @Min(0)
  @Default("0")
  @JsonPropertyDescription(
      "Ready pods the rollout may be short of spec.replicas while pods move from stable to"
          + " the canary. Each side keeps at least one ready pod while it takes traffic, and"
          + " its share of spec.replicas less this number.")
  public Integer maxUnavailable;

  @Default("30s")
  @Size(max = 32)
  @ValidationRule(value = Durations.RULE, message = "scaleDownDelay " + Durations.MESSAGE)
  @JsonPropertyDescription("How long the previous revision keeps its pods after promotion.")
  public String scaleDownDelay;
}
