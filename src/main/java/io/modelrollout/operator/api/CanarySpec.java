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
          + " from stable, so the rollout never needs extra capacity (GPU-friendly).")
  public Integer maxSurge;

  @Default("30s")
  @Size(max = 32)
  @ValidationRule(value = Durations.RULE, message = "scaleDownDelay " + Durations.MESSAGE)
  @JsonPropertyDescription("How long the previous revision keeps its pods after promotion.")
  public String scaleDownDelay;
}
