package io.modelrollout.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The HorizontalPodAutoscaler of an autoscaled online model. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class AutoscalingStatus {
  @JsonPropertyDescription("The HorizontalPodAutoscaler's name.")
  public String hpa;

  @JsonPropertyDescription("The Deployment it scales: the stable revision's.")
  public String target;

  @JsonPropertyDescription("Pods of the stable revision now (the autoscaler's choice).")
  public Integer currentReplicas;

  @JsonPropertyDescription("Pods the autoscaler last asked for.")
  public Integer desiredReplicas;

  @JsonPropertyDescription(
      "True while a rollout runs: the autoscaler may scale the stable revision up, not down, so"
          + " the canary, sized from the stable's pods, never shrinks the capacity.")
  public Boolean scaleDownDisabled;
}
