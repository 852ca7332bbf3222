package io.modelrollout.operator.status;

import io.modelrollout.operator.api.BatchSpec;
import io.modelrollout.operator.api.BatchStatus;
import io.modelrollout.operator.api.Condition;
import io.modelrollout.operator.api.DeploymentMode;
import io.modelrollout.operator.api.Durations;
import io.modelrollout.operator.api.HistoryEntry;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.api.Phase;
import java.time.Instant;
import java.util.List;

/**
 * The status of a Batch or an Edge reconcile (pure), as {@link StatusAggregator} builds an online
 * one: the same conditions, and the phase from them. Batch: Ready while the CronJob runs the
 * version in service; Degraded by a rollback, a failed last run, or stale output (with
 * batch.maxStaleness, also the Fresh condition). Edge: Ready when every online node runs a ready
 * pod of its version.
 */
public final class ModeStatus {
  private ModeStatus() {}

  /**
   * Completes {@code st} in place.
   *
   * @param cronJob Batch: the CronJob exists
   */
  public static ModelDeploymentStatus applied(
      ModelDeploymentStatus st,
      StatusAggregator.Facts f,
      DeploymentMode mode,
      BatchSpec batch,
      boolean cronJob,
      Instant now) {
    long g = f.generation();
    List<Condition> c = st.conditions;
    c =
        Conditions.set(
            c, Condition.INVALID_SPEC, false, Reasons.VALID, "the spec is valid", g, now);
    boolean starting =
        (f.previousPhase() == null || f.previousPhase() == Phase.Initializing) && st.canary == null;
    String degradedReason = null;
    String degradedMessage = null;
    if (mode == DeploymentMode.Batch) {
      BatchStatus bs = st.batch;
      String schedule =
          "'" + batch.schedule + "'" + (batch.timeZone == null ? "" : " (" + batch.timeZone + ")");
      c =
          Conditions.set(
              c,
              Condition.READY,
              cronJob,
              cronJob ? Reasons.SCHEDULED : Reasons.NO_CRON_JOB,
              cronJob
                  ? "version " + st.stable.version + " runs on schedule " + schedule
                  : "creating the CronJob of version " + st.stable.version,
              g,
              now);
      if (st.canary != null) {
        c = progressing(c, st, g, now);
      } else if (bs.switching != null || !cronJob) {
        c =
            Conditions.set(
                c,
                Condition.PROGRESSING,
                true,
                starting ? Reasons.INITIALIZING : Reasons.SWITCHING,
                bs.switching != null ? bs.switching : "creating the CronJob",
                g,
                now);
      } else {
        c = idle(c, st, g, now);
      }
      BatchStatus.Run last =
          bs.runs.stream()
              .filter(r -> r.outcome != BatchStatus.Outcome.Running)
              .findFirst()
              .orElse(null);
      if (last != null && last.outcome == BatchStatus.Outcome.Failed) {
        degradedReason = Reasons.RUN_FAILED;
        degradedMessage =
            "run "
                + last.job
                + " of version "
                + last.version
                + " failed: "
                + last.reason
                + "; the next run is on schedule";
      }
      if (batch.maxStaleness != null) {
        String since = bs.lastSuccessfulRun != null ? bs.lastSuccessfulRun : bs.inServiceSince;
        Instant staleAt =
            since == null ? null : Instant.parse(since).plus(Durations.parse(batch.maxStaleness));
        boolean fresh = staleAt == null || now.isBefore(staleAt);
        String what =
            bs.lastSuccessfulRun != null
                ? "the last successful run finished at " + bs.lastSuccessfulRun
                : "no run has succeeded since version "
                    + st.stable.version
                    + " went into service at "
                    + since;
        String message =
            what
                + (fresh ? ", within" : ", longer ago than")
                + " batch.maxStaleness "
                + batch.maxStaleness;
        c =
            Conditions.set(
                c, Condition.FRESH, fresh, fresh ? Reasons.FRESH : Reasons.STALE, message, g, now);
        if (!fresh && degradedReason == null) {
          degradedReason = Reasons.STALE;
          degradedMessage = "the output is stale: " + message;
        }
      }
    } else {
      int ready = st.stable.readyReplicas == null ? 0 : st.stable.readyReplicas;
      int want = st.stable.replicas == null ? 0 : st.stable.replicas;
      var nodes = st.edge == null ? null : st.edge.nodes;
      int skipped = nodes == null || nodes.skipped == null ? 0 : nodes.skipped;
      String skippedText = skipped == 0 ? "" : " (" + skipped + " skipped)";
      boolean isReady = ready >= want;
      String text =
          want == 0 && (nodes == null || nodes.total == null || nodes.total == 0)
              ? "no node matches edge.nodeSelector yet; a node that joins runs version "
                  + st.stable.version
              : "version "
                  + st.stable.version
                  + " runs ready on "
                  + ready
                  + "/"
                  + want
                  + " online nodes"
                  + skippedText;
      c =
          Conditions.set(
              c,
              Condition.READY,
              isReady,
              isReady ? Reasons.AVAILABLE : Reasons.PODS_NOT_READY,
              text,
              g,
              now);
      if (st.canary != null) {
        c = progressing(c, st, g, now);
      } else if (!isReady) {
        c =
            Conditions.set(
                c,
                Condition.PROGRESSING,
                true,
                starting ? Reasons.INITIALIZING : Reasons.SCALING,
                (starting ? "starting " : "updating ") + text,
                g,
                now);
      } else {
        c = idle(c, st, g, now);
      }
    }
    c = degraded(c, st, f, degradedReason, degradedMessage, now);
    boolean paused = f.pausedReason() != null && (st.canary != null || f.heldVersion() != null);
    c =
        paused
            ? Conditions.set(c, Condition.PAUSED, true, f.pausedReason(), f.pausedMessage(), g, now)
            : Conditions.set(c, Condition.PAUSED, false, Reasons.NOT_PAUSED, "not paused", g, now);
    st.conditions = c;
    Phases.Derived d = Phases.of(c);
    st.phase = d.phase();
    st.message = d.message();
    return st;
  }

  private static List<Condition> progressing(
      List<Condition> c, ModelDeploymentStatus st, long g, Instant now) {
    String step =
        "version "
            + st.canary.version
            + " at step "
            + (st.currentStepIndex + 1)
            + ": "
            + st.currentStep;
    if (st.batch != null && st.batch.switching != null) {
      step += " (" + st.batch.switching + ")";
    }
    return Conditions.set(
        c, Condition.PROGRESSING, true, Reasons.ROLLOUT_IN_PROGRESS, step, g, now);
  }

  private static List<Condition> idle(
      List<Condition> c, ModelDeploymentStatus st, long g, Instant now) {
    return Conditions.set(
        c,
        Condition.PROGRESSING,
        false,
        Reasons.IDLE,
        "version " + st.stable.version + " is in service",
        g,
        now);
  }

  private static List<Condition> degraded(
      List<Condition> c,
      ModelDeploymentStatus st,
      StatusAggregator.Facts f,
      String reason,
      String message,
      Instant now) {
    long g = f.generation();
    HistoryEntry last = st.history.isEmpty() ? null : st.history.get(0);
    if (f.desiredRevision().equals(st.failedRevision) && last != null && st.canary == null) {
      boolean aborted = last.outcome == HistoryEntry.Outcome.Aborted;
      return Conditions.set(
          c,
          Condition.DEGRADED,
          true,
          aborted ? Reasons.ABORTED : Reasons.ROLLED_BACK,
          "version "
              + last.version
              + (aborted ? " aborted: " : " rolled back: ")
              + last.reason
              + "; version "
              + st.stable.version
              + " stays in service",
          g,
          now);
    }
    if (reason != null) {
      return Conditions.set(c, Condition.DEGRADED, true, reason, message, g, now);
    }
    return Conditions.set(c, Condition.DEGRADED, false, Reasons.HEALTHY, "no failure", g, now);
  }
}
