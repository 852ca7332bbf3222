package io.modelrollout.operator.rollout;

/**
 * How the CronJob moves to another version without touching a run (pure): suspend it, wait until no
 * run of it is active, then update its job template and resume it in one write. A run that is due
 * meanwhile starts after the switch, with the new version (the CronJob's starting deadline
 * permitting).
 */
final class CronSwitch {
  private CronSwitch() {}

  /**
   * What to apply now.
   *
   * @param done the CronJob runs the target as it should (suspended only if the user asks)
   * @param waiting what the switch waits for, in words, or null
   */
  record Next(String revision, String version, boolean suspend, boolean done, String waiting) {
    /**
     * Applying this changes the CronJob and the switch goes on only once that is seen: the
     * operator's own write wakes no reconcile, so the engine looks again soon. Waiting for a run is
     * not one: the Job's end is an event.
     */
    boolean writes() {
      return !done && (waiting == null || !waiting.startsWith(WAITING_FOR_RUN));
    }
  }

  static final String WAITING_FOR_RUN = "waiting for run ";

  static Next next(BatchObserved.Cron cron, String revision, String version, boolean userSuspend) {
    if (cron == null) {
      return new Next(revision, version, userSuspend, false, "creating the CronJob");
    }
    if (revision.equals(cron.revision())) {
      boolean done = cron.suspended() == userSuspend;
      return new Next(revision, version, userSuspend, done, done ? null : "resuming the CronJob");
    }
    if (!cron.suspended()) {
      return new Next(
          cron.revision(),
          cron.version(),
          true,
          false,
          "suspending the CronJob to switch it to version " + version + " between runs");
    }
    if (!cron.active().isEmpty()) {
      return new Next(
          cron.revision(),
          cron.version(),
          true,
          false,
          WAITING_FOR_RUN
              + String.join(", ", cron.active())
              + " of version "
              + cron.version()
              + " to finish before switching to version "
              + version);
    }
    return new Next(
        revision, version, userSuspend, false, "switching the CronJob to version " + version);
  }
}
