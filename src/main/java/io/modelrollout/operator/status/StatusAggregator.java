package io.modelrollout.operator.status;

import io.modelrollout.operator.api.AutoscalingStatus;
import io.modelrollout.operator.api.Condition;
import io.modelrollout.operator.api.HistoryEntry;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.api.ModelDeploymentStatus.StaleRoute;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.Weights;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the status a reconcile writes, once (pure): the engine's rollout state, the weights the
 * route carries, the conditions derived from both, and the phase derived from the conditions.
 */
public final class StatusAggregator {
  private StatusAggregator() {}

  /**
   * What the conditions need beyond the rollout state.
   *
   * @param previousPhase the phase before this reconcile
   * @param stableFailing the stable Deployment reports that it cannot make progress
   * @param pausedReason why the rollout waits for a person, for data or for pods, or null
   * @param heldVersion a new version that waits (paused, or scaled to zero), or null
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

  /**
   * The status of a valid spec whose resources were applied: {@code st} completed in place.
   *
   * @param weights what the decision asked for and what the route carries, read back
   * @param stale routes of data planes no longer named that are still to be removed
   * @param selector the label selector of the stable pods (the scale subresource's)
   */
  public static ModelDeploymentStatus applied(
      ModelDeploymentStatus st,
      Facts f,
      Weights weights,
      List<StaleRoute> stale,
      String selector,
      AutoscalingStatus autoscaling,
      Instant now) {
    st.weights = weights;
    st.autoscaling = autoscaling;
    st.selector = selector;
    st.staleRoutes = new ArrayList<>(stale);
    st.replicas = st.stable.readyReplicas;
    st.conditions = conditions(st, f, now);
    derivePhase(st);
    return st;
  }

  /** Marks the spec invalid; the rollout state stays as it was. */
  public static ModelDeploymentStatus invalid(
      ModelDeploymentStatus st, long generation, List<String> problems, Instant now) {
    String msg = String.join("; ", problems);
    String serving = st.stable == null ? "" : "; version " + st.stable.version + " keeps serving";
    if (st.stable != null && st.canary != null) {
      serving =
          "; the rollout of version "
              + st.canary.version
              + " is held where it is (its traffic share unchanged), version "
              + st.stable.version
              + " keeps serving the rest";
    }
    List<Condition> c = st.conditions;
    c = Conditions.set(c, Condition.INVALID_SPEC, true, Reasons.INVALID_SPEC, msg, generation, now);
    c =
        Conditions.set(
            c,
            Condition.DEGRADED,
            true,
            Reasons.INVALID_SPEC,
            "invalid spec: " + msg + serving,
            generation,
            now);
    st.conditions = c;
    derivePhase(st);
    return st;
  }

  /** Marks a reconcile whose writes failed; the rollout state stays as it was. */
  public static ModelDeploymentStatus failed(
      ModelDeploymentStatus st, long generation, String error, Instant now) {
    st.observedGeneration = generation;
    st.conditions =
        Conditions.set(
            st.conditions,
            Condition.DEGRADED,
            true,
            Reasons.RECONCILE_FAILED,
            error,
            generation,
            now);
    derivePhase(st);
    return st;
  }

  private static void derivePhase(ModelDeploymentStatus st) {
    Phases.Derived d = Phases.of(st.conditions);
    st.phase = d.phase();
    st.message = d.message();
  }

  private static List<Condition> conditions(ModelDeploymentStatus st, Facts f, Instant now) {
    long g = f.generation();
    int ready = st.stable.readyReplicas == null ? 0 : st.stable.readyReplicas;
    // during a rollout the stable revision may run fewer pods by design (maxSurge)
    int want = st.stable.replicas == null ? f.replicas() : st.stable.replicas;
    boolean stableReady = ready >= want;
    String pods = ready + "/" + want + " pods of version " + st.stable.version + " ready";
    String serving =
        "version " + st.stable.version + " is serving: " + ready + "/" + want + " pods ready";

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
            stableReady ? serving : pods,
            g,
            now);
    Phase prev = f.previousPhase();
    boolean starting = (prev == null || prev == Phase.Initializing) && st.canary == null;
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
      c =
          Conditions.set(
              c,
              Condition.PROGRESSING,
              true,
              starting ? Reasons.INITIALIZING : Reasons.SCALING,
              (starting ? "starting version " : "scaling version ")
                  + st.stable.version
                  + ": "
                  + pods,
              g,
              now);
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
    c = degraded(c, st, f, pods, now);
    boolean paused = f.pausedReason() != null && (st.canary != null || f.heldVersion() != null);
    return paused
        ? Conditions.set(c, Condition.PAUSED, true, f.pausedReason(), f.pausedMessage(), g, now)
        : Conditions.set(c, Condition.PAUSED, false, Reasons.NOT_PAUSED, "not paused", g, now);
  }

  private static List<Condition> degraded(
      List<Condition> c, ModelDeploymentStatus st, Facts f, String pods, Instant now) {
    long g = f.generation();
    boolean rolledBack = f.desiredRevision().equals(st.failedRevision);
    HistoryEntry last = st.history.isEmpty() ? null : st.history.get(0);
    if (rolledBack && last != null && st.canary == null) {
      boolean aborted = last.outcome == HistoryEntry.Outcome.Aborted;
      String message =
          "version "
              + last.version
              + (aborted ? " aborted: " : " rolled back: ")
              + last.reason
              + "; version "
              + st.stable.version
              + " keeps serving";
      return Conditions.set(
          c,
          Condition.DEGRADED,
          true,
          aborted ? Reasons.ABORTED : Reasons.ROLLED_BACK,
          message,
          g,
          now);
    }
    if (f.stableFailing()) {
      String message =
          "the Deployment of version " + st.stable.version + " cannot make progress: " + pods;
      return Conditions.set(c, Condition.DEGRADED, true, Reasons.STABLE_FAILING, message, g, now);
    }
    return Conditions.set(c, Condition.DEGRADED, false, Reasons.HEALTHY, "no failure", g, now);
  }
}
