package io.modelrollout.operator.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;

/** Observed state of a ModelDeployment; the operator's only memory between reconciles. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonClassDescription("What the operator observed and decided; written by the operator only.")
public class ModelDeploymentStatus {
  @JsonPropertyDescription("The metadata.generation this status was computed from.")
  public Long observedGeneration;

  @JsonPropertyDescription("Initializing, Progressing, Paused, Healthy, Degraded or RolledBack.")
  public Phase phase;

  @JsonPropertyDescription("What the operator is doing or waiting for, in a sentence.")
  public String message;

  @JsonPropertyDescription("The revision that serves live traffic.")
  public RevisionStatus stable;

  @JsonPropertyDescription("The revision being rolled out, if any.")
  public RevisionStatus canary;

  @StatusReplicas
  @JsonPropertyDescription("Ready pods of the stable revision (scale subresource).")
  public Integer replicas;

  @LabelSelector
  @JsonPropertyDescription("Label selector of the stable pods (scale subresource, for HPAs).")
  public String selector;

  @JsonPropertyDescription("Index of the current rollout step (0-based).")
  public Integer currentStepIndex;

  @JsonPropertyDescription("The current step, in words, e.g. 'setWeight 20' or 'pause 5m'.")
  public String currentStep;

  @JsonPropertyDescription("When the current step started (RFC 3339).")
  public String stepStartedAt;

  @JsonPropertyDescription("When the rollout in progress started (RFC 3339).")
  public String rolloutStartedAt;

  @JsonPropertyDescription("Traffic split in force.")
  public Weights weights;

  @JsonPropertyDescription(
      "Verdicts of the gates of the current or last analysis, with measured values and queries.")
  public List<GateStatus> gates = new ArrayList<>();

  @JsonPropertyDescription("The last versions rolled out, newest first.")
  public List<HistoryEntry> history = new ArrayList<>();

  @JsonPropertyDescription("Ready, Progressing, Degraded, Paused and InvalidSpec.")
  public List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("Set by the pause action, cleared by resume.")
  public Boolean userPaused;

  @JsonPropertyDescription("The last manual action applied.")
  public ActionRecord lastAction;

  @JsonPropertyDescription(
      "A revision that was rolled back or aborted; it is not retried until the spec changes"
          + " to another revision or a retry action.")
  public String failedRevision;

  @JsonPropertyDescription("Revisions waiting to be scaled down, with the time they will be.")
  public List<ScaleDown> scaleDown = new ArrayList<>();

  @Override
  public String toString() {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(this);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return super.toString();
    }
  }

  /** A revision pending scale-down. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ScaleDown {
    @JsonPropertyDescription("The revision whose pods are kept for now.")
    public String revision;

    @JsonPropertyDescription("When it will be scaled to zero (RFC 3339).")
    public String at;

    public ScaleDown() {}

    public ScaleDown(String revision, String at) {
      this.revision = revision;
      this.at = at;
    }
  }

  /** A manual action the operator applied. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ActionRecord {
    @JsonPropertyDescription("The value of the modelrollout.io/action annotation, e.g. promote.")
    public String action;

    @JsonPropertyDescription("When it was applied (RFC 3339).")
    public String at;

    @JsonPropertyDescription("What the action did.")
    public String message;
  }
}
