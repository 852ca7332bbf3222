package io.modelrollout.operator.rollout;

import io.modelrollout.operator.api.BatchSpec;
import io.modelrollout.operator.api.BatchStatus.Outcome;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The objects of a Batch ModelDeployment: its CronJob, its Jobs (validation Jobs and scheduled
 * runs), and the revisions whose job template is kept.
 *
 * @param name the ModelDeployment's name (the CronJob's; a validation Job is name-revision)
 * @param cron the CronJob, or null before it exists
 * @param templates revisions with a kept job template (ControllerRevision)
 */
public record BatchObserved(
    String name, BatchSpec spec, Cron cron, List<Job> jobs, Set<String> templates)
    implements ModeObserved {

  /**
   * The CronJob as it is.
   *
   * @param revision the revision whose job template it runs (its label)
   * @param active Jobs of the CronJob that have not finished
   */
  public record Cron(String revision, String version, boolean suspended, List<String> active) {}

  /** A Job of the ModelDeployment. */
  public enum Kind {
    VALIDATION,
    RUN
  }

  /**
   * One Job.
   *
   * @param attempt which validation attempt a validation Job belongs to (its label), null for runs
   * @param reason why it failed (condition reason and message, pods' exit codes), or null
   * @param logs where its logs are, or null
   */
  public record Job(
      String name,
      Kind kind,
      String revision,
      String version,
      String attempt,
      Instant start,
      Instant end,
      Outcome outcome,
      String reason,
      String logs,
      String input,
      String output) {}

  /** The validation Job of {@code revision}, if any. */
  public java.util.Optional<Job> validation(String revision) {
    return jobs.stream()
        .filter(j -> j.kind() == Kind.VALIDATION && revision.equals(j.revision()))
        .findFirst();
  }

  /** The name of the validation Job of a revision. */
  public String validationJobName(String revision) {
    return name + "-" + revision;
  }
}
