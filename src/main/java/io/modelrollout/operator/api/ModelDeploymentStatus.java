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

  @JsonPropertyDescription(
      "The A/B test of the rollout in progress, or of the last one: per-variant samples and"
          + " values, the difference with its interval and p-values, and the decision.")
  public ExperimentStatus experiment;

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

  @JsonPropertyDescription(
      "Revisions waiting to be scaled down: after a promotion at the time given; after a"
          + " rollback or abort once stable is ready again, at the latest at the time given. An"
          + " entry whose time has passed may stay until the next status write.")
  public List<ScaleDown> scaleDown = new ArrayList<>();

  @JsonPropertyDescription(
      "Routes of a data plane the ModelDeployment no longer uses that could not be removed"
          + " yet; the operator retries until they are gone.")
  public List<StaleRoute> staleRoutes = new ArrayList<>();

  // --- modes and autoscaling (issue 12) ---

  @JsonPropertyDescription("Batch mode: the CronJob, the last runs, validation and freshness.")
  public BatchStatus batch;

  @JsonPropertyDescription("Edge mode: the fleet's nodes.")
  public EdgeStatus edge;

  @JsonPropertyDescription("Online mode with spec.autoscaling: the HorizontalPodAutoscaler.")
  public AutoscalingStatus autoscaling;

  // --- end of modes ---

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
    @JsonPropertyDescription("The revision whose pods are to be removed.")
    public String revision;

    @JsonPropertyDescription("When its pods are removed at the latest (RFC 3339).")
    public String at;

    @JsonPropertyDescription(
        "True when the pods go as soon as the stable revision is ready at full size (after a"
            + " rollback, an abort or a superseded canary).")
    public Boolean afterStableReady;

    public ScaleDown() {}

    public ScaleDown(String revision, String at) {
      this.revision = revision;
      this.at = at;
    }

    public ScaleDown(String revision, String at, boolean afterStableReady) {
      this(revision, at);
      this.afterStableReady = afterStableReady ? Boolean.TRUE : null;
    }
  }

  /** A manual action the operator applied. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ActionRecord {
    @JsonPropertyDescription("The value of the modelrollout.io/action annotation.")
    public String action;

    @JsonPropertyDescription("When the action was applied (RFC 3339).")
    public String at;

    @JsonPropertyDescription("What the action did, in a sentence.")
    public String message;

    @JsonPropertyDescription(
        "The resourceVersion of the ModelDeployment on which the annotation was seen.")
    public String resourceVersion;

    @JsonPropertyDescription(
        "True when the action was refused: an unknown value, or one that makes no sense in the"
            + " current phase (nothing to promote, abort or retry); it changed nothing.")
    public Boolean rejected;

    @JsonPropertyDescription(
        "True while the annotation of this applied action is still to be removed; a"
            + " reconcile that finds it then removes it without applying it again.")
    public Boolean pending;
  }

  /** A route of a data plane no longer in use, still to be removed. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class StaleRoute {
    @JsonPropertyDescription("The data plane (traffic provider) of the route.")
    public String provider;

    @JsonPropertyDescription("Why the last removal failed.")
    public String message;

    public StaleRoute() {}

    public StaleRoute(String provider, String message) {
      this.provider = provider;
      this.message = message;
    }
  }
}
