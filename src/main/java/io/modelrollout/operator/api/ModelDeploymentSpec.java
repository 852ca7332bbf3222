package io.modelrollout.operator.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

/** Desired state of a ModelDeployment: the model, the server pod template and how to roll out. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription(
    "The model, its server pod template, replicas, Services, traffic and rollout.")
public class ModelDeploymentSpec {
  @Required
  @JsonPropertyDescription("The model to serve: name, version, where to load it from.")
  public ModelSpec model;

  @Required
  @SchemaFrom(type = PodTemplateSchema.class)
  @JsonPropertyDescription(
      "Pod template of the model server (a standard PodTemplateSpec). The operator adds its"
          + " labels and the MODEL_* environment variables to every container.")
  public PodTemplateSpec template;

  @SpecReplicas
  @Min(0)
  @Max(10000)
  @Default("1")
  @JsonPropertyDescription(
      "Number of serving pods of the stable revision. Also the scale subresource, so kubectl"
          + " scale and a HorizontalPodAutoscaler can drive it.")
  public Integer replicas;

  @JsonPropertyDescription("The Services in front of the model server.")
  public ServiceSpec service;

  @JsonPropertyDescription(
      "How a new version is rolled out: a reference to a RolloutPolicy or an inline policy."
          + " Without one, a new version replaces the old one as soon as its pods are ready.")
  public RolloutSpec rollout;

  @JsonPropertyDescription("How traffic is split between the stable and the canary revision.")
  public TrafficSpec traffic;

  @JsonPropertyDescription(
      "Pauses the rollout in progress at its current step; running pods keep serving.")
  public Boolean paused;

  public int replicasOrDefault() {
    return replicas == null ? 1 : replicas;
  }

  public boolean pausedOrDefault() {
    return Boolean.TRUE.equals(paused);
  }
}
