package io.modelrollout.operator.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

/** Desired state of a ModelDeployment: the model, the server pod template and how to roll out. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.batch) == (has(self.mode) && self.mode == 'Batch')",
    message = "batch is required when mode is Batch, and only then")
@ValidationRule(
    value = "has(self.edge) == (has(self.mode) && self.mode == 'Edge')",
    message = "edge is required when mode is Edge, and only then")
@ValidationRule(
    value = "!has(self.autoscaling) || !has(self.mode) || self.mode == 'Online'",
    message = "autoscaling is for mode Online (Edge runs one pod per node, Batch one Job per run)")
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

  // --- modes and autoscaling (issue 12) ---

  @Default("Online")
  @ValidationRule(
      value = "self == oldSelf",
      message = "mode cannot be changed; create a new ModelDeployment for another mode")
  @JsonPropertyDescription(
      "Online (default: a service behind Services and a route), Batch (a CronJob on"
          + " batch.schedule; a new version is validated by a Job first) or Edge (a pod on every"
          + " node of edge.nodeSelector; a rollout moves node by node). Cannot be changed.")
  public DeploymentMode mode;

  @JsonPropertyDescription("Batch mode: schedule, input and output, validation of new versions.")
  public BatchSpec batch;

  @JsonPropertyDescription("Edge mode: the fleet's nodes and how fast a rollout moves over them.")
  public EdgeSpec edge;

  @JsonPropertyDescription(
      "Online mode: a HorizontalPodAutoscaler for the stable revision; spec.replicas is then"
          + " only the first size. A canary is sized from its weight and the stable's current"
          + " pods.")
  public AutoscalingSpec autoscaling;

  public DeploymentMode modeOrDefault() {
    return mode == null ? DeploymentMode.Online : mode;
  }

  // --- end of modes ---

  public int replicasOrDefault() {
    return replicas == null ? 1 : replicas;
  }

  public boolean pausedOrDefault() {
    return Boolean.TRUE.equals(paused);
  }
}
