package io.modelrollout.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Batch mode: a CronJob runs the model on a schedule; a new version is validated first. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BatchSpec {
  @Required
  @Size(min = 1, max = 256)
  @ValidationRule(
      value = "!self.contains('TZ=')",
      message = "batch.schedule cannot set a time zone (TZ= or CRON_TZ=); use batch.timeZone")
  @JsonPropertyDescription(
      "Cron schedule of the runs, e.g. '0 2 * * *' (five fields) or @hourly, @daily.")
  public String schedule;

  @Size(max = 64)
  @JsonPropertyDescription(
      "IANA time zone of the schedule, e.g. Europe/Berlin; default: the time zone of the"
          + " controller manager (usually UTC).")
  public String timeZone;

  @Default("Forbid")
  @JsonPropertyDescription(
      "What happens when a run is due while the previous one still runs: Forbid (default: skip"
          + " it), Allow or Replace.")
  public ConcurrencyPolicy concurrencyPolicy;

  @Required
  @Size(min = 1, max = 2048)
  @JsonPropertyDescription("What the runs score, e.g. s3://data/transactions; MODEL_INPUT_URI.")
  public String input;

  @Required
  @Size(min = 1, max = 2048)
  @JsonPropertyDescription(
      "Base URI of the output. A run writes to <output>/<version>/<run> (MODEL_OUTPUT_URI, the run"
          + " being the Job's name), so no run overwrites another version's output.")
  public String output;

  @Min(0)
  @Max(100)
  @Default("3")
  @JsonPropertyDescription("Successful runs (Jobs) the CronJob keeps.")
  public Integer successfulJobsHistoryLimit;

  @Min(0)
  @Max(100)
  @Default("1")
  @JsonPropertyDescription("Failed runs (Jobs) the CronJob keeps, with their pods and logs.")
  public Integer failedJobsHistoryLimit;

  @Min(1)
  @JsonPropertyDescription("How long one run may take (the Job's activeDeadlineSeconds).")
  public Long activeDeadlineSeconds;

  @Min(0)
  @Max(100)
  @JsonPropertyDescription(
      "Retries of a failed pod before the run fails (the Job's backoffLimit; Kubernetes'"
          + " default 6).")
  public Integer backoffLimit;

  @Min(0)
  @JsonPropertyDescription(
      "How late a missed run may still start (the CronJob's startingDeadlineSeconds).")
  public Long startingDeadlineSeconds;

  @JsonPropertyDescription(
      "Suspends the schedule; no run starts until it is false again. Rollouts still validate.")
  public Boolean suspend;

  @Size(max = 32)
  @ValidationRule(value = Durations.RULE, message = "batch.maxStaleness " + Durations.MESSAGE)
  @JsonPropertyDescription(
      "The output is stale when the last successful run is older than this (e.g. 26h): the"
          + " Fresh condition turns False and the ModelDeployment is Degraded.")
  public String maxStaleness;

  @JsonPropertyDescription("How a new version is validated before it takes over the schedule.")
  public Validation validation;

  /** Validation of a new version by one Job before it takes over the schedule. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Validation {
    @Size(max = 2048)
    @JsonPropertyDescription(
        "What the validation Job scores (MODEL_INPUT_URI); default: batch.input. It writes to"
            + " <output>/<version>/validation-<revision>.")
    public String input;

    @Size(max = 32)
    @ValidationRule(
        value = Durations.RULE,
        message = "batch.validation.deadline " + Durations.MESSAGE)
    @JsonPropertyDescription(
        "How long the validation Job may run (its activeDeadlineSeconds); default:"
            + " batch.activeDeadlineSeconds, else 1h. A Job that has not succeeded by then fails"
            + " the rollout.")
    public String deadline;

    @JsonPropertyDescription(
        "Shadow batch: the new version scores the input of the last successful run instead,"
            + " with that run's output in MODEL_BASELINE_OUTPUT_URI; gates with compareTo: Stable"
            + " compare the new version's metrics with those of the version in service.")
    public Boolean shadow;
  }

  /** What a CronJob does when a run is due while another runs. */
  public enum ConcurrencyPolicy {
    Allow,
    Forbid,
    Replace
  }
}
