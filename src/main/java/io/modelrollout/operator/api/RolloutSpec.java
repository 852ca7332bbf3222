package io.modelrollout.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** Names the rollout policy of a ModelDeployment, by reference or inline. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!(has(self.policyRef) && has(self.policy))",
    message = "set either rollout.policyRef or rollout.policy, not both")
public class RolloutSpec {
  @JsonPropertyDescription("A RolloutPolicy in the same namespace.")
  public PolicyRef policyRef;

  @JsonPropertyDescription("An inline policy, with the same fields as RolloutPolicy.spec.")
  public RolloutPolicySpec policy;

  /** Reference to a RolloutPolicy in the ModelDeployment's namespace. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class PolicyRef {
    @io.fabric8.generator.annotation.Required
    @io.fabric8.generator.annotation.Size(min = 1, max = 253)
    @JsonPropertyDescription("Name of the RolloutPolicy.")
    public String name;
  }
}
