package io.modelrollout.operator.rollout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the writes of a Batch or an Edge reconcile must make true (pure data). */
public sealed interface ModeIntent {

  /**
   * Batch.
   *
   * @param cron the CronJob: the revision of its job template and whether it is suspended; null
   *     before a version is in service
   * @param validation the validation Job that must exist, or null
   * @param deleteJobs validation Jobs to delete (an older attempt, a version no longer wanted)
   * @param templates revisions whose job template must be kept (ControllerRevision)
   * @param dropTemplates revisions whose kept job template is no longer needed
   */
  record Batch(
      CronTarget cron,
      ValidationJob validation,
      List<String> deleteJobs,
      Set<String> templates,
      List<String> dropTemplates)
      implements ModeIntent {}

  /** The CronJob's revision and suspension. */
  record CronTarget(String revision, String version, boolean suspend) {}

  /**
   * The validation Job of a new version.
   *
   * @param attempt the attempt's id (the Job's label), so an older Job of the revision is not taken
   *     for this one
   * @param baselineOutput shadow batch: the output of the run whose input it scores, or null
   */
  record ValidationJob(
      String name,
      String revision,
      String version,
      String attempt,
      String input,
      String output,
      String baselineOutput,
      Duration deadline) {}

  /**
   * Edge.
   *
   * @param labels per node, the operator's labels it must carry (nodes not listed are left as they
   *     are)
   * @param daemonSets revisions whose DaemonSet must exist (others are deleted)
   */
  record Edge(Map<String, NodeLabels> labels, Set<String> daemonSets) implements ModeIntent {}

  /**
   * The operator's labels of one node.
   *
   * @param revision the revision the node runs, or null for none
   * @param surge a second revision that may run beside it while the node updates, or null
   */
  record NodeLabels(String revision, String surge) {}
}
