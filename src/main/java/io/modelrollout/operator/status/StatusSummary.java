package io.modelrollout.operator.status;

import io.modelrollout.operator.api.Condition;
import io.modelrollout.operator.api.HistoryEntry;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.api.Phase;
import java.time.Instant;
import java.util.List;

/** Derives conditions, phase and message from the rest of the status (pure). */
public final class StatusSummary {
  private StatusSummary() {}

  /**
   * What the summary needs beyond the status.
   *
   * @param pausedReason why the rollout waits for a person, or null
   * @param heldVersion a new version that waits because the ModelDeployment is paused, or null
   */
  public record Facts(
      long generation,
      int replicas,
      String desiredRevision,
      Phase previousPhase,
      boolean stableFailing,
      String pausedReason,
      String pausedMessage,
      String heldVersion) {}

  /** Marks the spec invalid; everything else in the status stays as it was. */
  public static void invalid(
      ModelDeploymentStatus st, long generation, List<String> problems, Instant now) {
    String msg = String.join("; ", problems);
    st.conditions =
        Conditions.set(
            st.conditions,
            Condition.INVALID_SPEC,
            true,
            Reasons.INVALID_SPEC,
            msg,
            generation,
            now);
    st.phase = Phase.Degraded;
    st.message =
        "invalid spec: "
            + msg
            + (st.stable == null ? "" : "; version " + st.stable.version + " keeps serving");
  }

  public static void summarize(ModelDeploymentStatus st, Facts f, Instant now) {
    long g = f.generation();
    int ready = st.stable.readyReplicas == null ? 0 : st.stable.readyReplicas;
    // during a rollout the stable revision may run fewer pods by design (maxSurge)
    int want = st.stable.replicas == null ? f.replicas() : st.stable.replicas;
    boolean stableReady = ready >= want;
    boolean rolledBack = f.desiredRevision().equals(st.failedRevision);
    HistoryEntry last = st.history.isEmpty() ? null : st.history.get(0);
    String pods = ready + "/" + want + " pods of version " + st.stable.version + " ready";

    List<Condition> c = st.conditions;
    c =
        Conditions.set(
            c, Condition.INVALID_SPEC, false, Reasons.VALID, "the spec is valid", g, now);
    c =
        Conditions.set(
            c,
            Condition.READY,
            stableReady,
            stableReady ? Reasons.AVAILABLE : Reasons.PODS_NOT_READY,
            pods,
            g,
            now);
    if (st.canary != null) {
      String step =
          "version "
              + st.canary.version
              + " at step "
              + (st.currentStepIndex + 1)
              + ": "
              + st.currentStep;
      c = Conditions.set(c, Condition.PROGRESSING, true, Reasons.ROLLOUT_IN_PROGRESS, step, g, now);
    } else if (!stableReady) {
      c = Conditions.set(c, Condition.PROGRESSING, true, Reasons.SCALING, pods, g, now);
    } else {
      c =
          Conditions.set(
              c,
              Condition.PROGRESSING,
              false,
              Reasons.IDLE,
              "version " + st.stable.version + " is serving",
              g,
              now);
    }
    String degradedMessage = null;
    if (rolledBack && last != null) {
      String reason =
          last.outcome == HistoryEntry.Outcome.Aborted ? Reasons.ABORTED : Reasons.ROLLED_BACK;
      degradedMessage =
          "version "
              + last.version
              + " "
              + (reason.equals(Reasons.ABORTED) ? "aborted" : "rolled back")
              + ": "
              + last.reason
              + "; version "
              + st.stable.version
              + " keeps serving";
      c = Conditions.set(c, Condition.DEGRADED, true, reason, degradedMessage, g, now);
    } else if (f.stableFailing()) {
      degradedMessage =
          "the Deployment of version " + st.stable.version + " cannot make progress: " + pods;
      c =
          Conditions.set(
              c, Condition.DEGRADED, true, Reasons.STABLE_FAILING, degradedMessage, g, now);
    } else {
      c = Conditions.set(c, Condition.DEGRADED, false, Reasons.HEALTHY, "no failure", g, now);
    }
    boolean paused = f.pausedReason() != null && (st.canary != null || f.heldVersion() != null);
    c =
        paused
            ? Conditions.set(c, Condition.PAUSED, true, f.pausedReason(), f.pausedMessage(), g, now)
            : Conditions.set(c, Condition.PAUSED, false, Reasons.NOT_PAUSED, "not paused", g, now);
    st.conditions = c;

    Phase prev = f.previousPhase();
    boolean initializing = (prev == null || prev == Phase.Initializing) && st.canary == null;
    if (initializing && !stableReady) {
      st.phase = Phase.Initializing;
      st.message = "starting version " + st.stable.version + ": " + pods;
    } else if (rolledBack) {
      st.phase = Phase.RolledBack;
      st.message = degradedMessage;
    } else if (f.heldVersion() != null) {
      st.phase = Phase.Paused;
      st.message = f.pausedMessage();
    } else if (st.canary != null) {
      st.phase = paused ? Phase.Paused : Phase.Progressing;
      st.message = paused ? f.pausedMessage() : Conditions.find(c, Condition.PROGRESSING).message;
    } else if (f.stableFailing()) {
      st.phase = Phase.Degraded;
      st.message = degradedMessage;
    } else if (!stableReady) {
      st.phase = Phase.Progressing;
      st.message = "scaling: " + pods;
    } else {
      st.phase = Phase.Healthy;
      st.message = "version " + st.stable.version + " is serving: " + pods;
    }
  }
}
