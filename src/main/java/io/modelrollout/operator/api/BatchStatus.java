package io.modelrollout.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** Batch mode: the CronJob, its last runs, the validation of a new version, freshness. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class BatchStatus {
  @JsonPropertyDescription("The CronJob that runs the version in service.")
  public String cronJob;

  @JsonPropertyDescription("When the version in service took over the schedule (RFC 3339).")
  public String inServiceSince;

  @JsonPropertyDescription("When the last successful scheduled run finished (RFC 3339).")
  public String lastSuccessfulRun;

  @JsonPropertyDescription(
      "Why the CronJob is being switched and what it waits for (the switch never happens during"
          + " a run: suspend, wait for the active run, update, resume).")
  public String switching;

  @JsonPropertyDescription(
      "The version that was in service before; its job template is kept (ControllerRevision"
          + " <name>-<revision>) for the rollback action.")
  public RevisionRef previous;

  @JsonPropertyDescription("The validation Job of the version being rolled out, or of the last.")
  public ValidationRun validation;

  @JsonPropertyDescription("The last scheduled runs, newest first (at most 10).")
  public List<Run> runs = new ArrayList<>();

  /** A version and its revision. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class RevisionRef {
    @JsonPropertyDescription("Model version.")
    public String version;

    @JsonPropertyDescription("Revision (hash of the pod template and model fields).")
    public String revision;

    public RevisionRef() {}

    public RevisionRef(String version, String revision) {
      this.version = version;
      this.revision = revision;
    }
  }

  /** How a run or a validation Job ended. */
  public enum Outcome {
    Pending,
    Running,
    Succeeded,
    Failed
  }

  /** One scheduled run (a Job of the CronJob). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class Run {
    @JsonPropertyDescription("The Job's name (also the run's id in its output path).")
    public String job;

    @JsonPropertyDescription("The model version the run used.")
    public String version;

    @JsonPropertyDescription("When the run started (RFC 3339).")
    public String startedAt;

    @JsonPropertyDescription("How long the run took, in seconds (so far, while running).")
    public Long durationSeconds;

    @JsonPropertyDescription("Running, Succeeded or Failed.")
    public Outcome outcome;

    @JsonPropertyDescription("Why a run failed (the Job's condition reason and message).")
    public String reason;

    @JsonPropertyDescription("What the run scored (MODEL_INPUT_URI).")
    public String input;

    @JsonPropertyDescription("Where the run wrote its output (MODEL_OUTPUT_URI).")
    public String output;
  }

  /** The one-off Job that validates a new version. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class ValidationRun {
    @JsonPropertyDescription("The validation Job's name.")
    public String job;

    @JsonPropertyDescription("The version validated.")
    public String version;

    @JsonPropertyDescription("Its revision.")
    public String revision;

    @JsonPropertyDescription("1 for the first run of this revision, more after retry actions.")
    public Integer attempt;

    @JsonPropertyDescription("The attempt's id: the Job's label modelrollout.io/attempt.")
    public String id;

    @JsonPropertyDescription("What the Job scored (MODEL_INPUT_URI).")
    public String input;

    @JsonPropertyDescription("Where it wrote (MODEL_OUTPUT_URI).")
    public String output;

    @JsonPropertyDescription(
        "Shadow batch: the scheduled run whose input it scored and whose output it is compared"
            + " with.")
    public String shadowOf;

    @JsonPropertyDescription("Shadow batch: that run's output (MODEL_BASELINE_OUTPUT_URI).")
    public String baselineOutput;

    @JsonPropertyDescription("When the Job started (RFC 3339).")
    public String startedAt;

    @JsonPropertyDescription("When it finished (RFC 3339).")
    public String finishedAt;

    @JsonPropertyDescription("Pending, Running, Succeeded or Failed.")
    public Outcome outcome;

    @JsonPropertyDescription("Why it failed: the Job's reason and message, the pods' exit codes.")
    public String reason;

    @JsonPropertyDescription("Where its logs are.")
    public String logs;
  }
}
