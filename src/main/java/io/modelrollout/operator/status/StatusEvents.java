package io.modelrollout.operator.status;

import io.modelrollout.operator.analysis.Thresholds;
import io.modelrollout.operator.api.Condition;
import io.modelrollout.operator.api.ExperimentStatus;
import io.modelrollout.operator.api.GateStatus;
import io.modelrollout.operator.api.HistoryEntry;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.api.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The events that the change from one status to the next tells (pure). A retried reconcile that
 * computes the same status emits nothing.
 */
public final class StatusEvents {
  private StatusEvents() {}

  public static List<EventSpec> between(ModelDeploymentStatus old, ModelDeploymentStatus now) {
    ModelDeploymentStatus o = old == null ? new ModelDeploymentStatus() : old;
    List<EventSpec> out = new ArrayList<>();
    invalidSpec(o, now, out);
    reconcileFailed(o, now, out);
    staleRoutes(o, now, out);
    action(o, now, out);
    history(o, now, out);
    String oldCanary = o.canary == null ? null : o.canary.revision;
    String newCanary = now.canary == null ? null : now.canary.revision;
    if (newCanary != null && !newCanary.equals(oldCanary)) {
      out.add(
          EventSpec.normal(
              Reasons.ROLLOUT_STARTED,
              "rolling out version "
                  + now.canary.version
                  + " (revision "
                  + newCanary
                  + ") over "
                  + now.stable.version));
    } else if (newCanary != null && !Objects.equals(o.currentStepIndex, now.currentStepIndex)) {
      out.add(
          EventSpec.normal(
              Reasons.STEP_ADVANCED,
              "version "
                  + now.canary.version
                  + " at step "
                  + (now.currentStepIndex + 1)
                  + ": "
                  + now.currentStep));
    }
    gates(o, now, out);
    autoscaler(o, now, out);
    ModeEvents.between(o, now, out);
    experiment(o, now, out);
    int oldWeight = o.weights == null || o.weights.canary == null ? 0 : o.weights.canary;
    int newWeight = now.weights == null || now.weights.canary == null ? 0 : now.weights.canary;
    if (oldWeight != newWeight) {
      out.add(
          EventSpec.normal(
              Reasons.TRAFFIC_WEIGHT_UPDATED,
              "canary " + newWeight + "%, stable " + (100 - newWeight) + "%"));
    }
    return out;
  }

  private static void invalidSpec(
      ModelDeploymentStatus o, ModelDeploymentStatus n, List<EventSpec> out) {
    Condition before = Conditions.find(o.conditions, Condition.INVALID_SPEC);
    Condition after = Conditions.find(n.conditions, Condition.INVALID_SPEC);
    if (after != null
        && after.isTrue()
        && (before == null || !before.isTrue() || !Objects.equals(before.message, after.message))) {
      out.add(EventSpec.warning(Reasons.INVALID_SPEC, after.message));
    }
  }

  private static void reconcileFailed(
      ModelDeploymentStatus o, ModelDeploymentStatus n, List<EventSpec> out) {
    Condition before = Conditions.find(o.conditions, Condition.DEGRADED);
    Condition after = Conditions.find(n.conditions, Condition.DEGRADED);
    if (after != null
        && after.isTrue()
        && Reasons.RECONCILE_FAILED.equals(after.reason)
        && (before == null
            || !before.isTrue()
            || !Reasons.RECONCILE_FAILED.equals(before.reason)
            || !Objects.equals(before.message, after.message))) {
      out.add(EventSpec.warning(Reasons.RECONCILE_FAILED, after.message));
    }
  }

  private static void staleRoutes(
      ModelDeploymentStatus o, ModelDeploymentStatus n, List<EventSpec> out) {
    for (var r : n.staleRoutes) {
      boolean known =
          o.staleRoutes.stream()
              .anyMatch(
                  x ->
                      Objects.equals(x.provider, r.provider)
                          && Objects.equals(x.message, r.message));
      if (!known) {
        out.add(EventSpec.warning(Reasons.ROUTE_REMOVAL_FAILED, r.message));
      }
    }
  }

  private static void action(
      ModelDeploymentStatus o, ModelDeploymentStatus n, List<EventSpec> out) {
    if (n.lastAction == null) {
      return;
    }
    boolean changed =
        o.lastAction == null
            || !Objects.equals(o.lastAction.at, n.lastAction.at)
            || !Objects.equals(o.lastAction.action, n.lastAction.action)
            || !Objects.equals(o.lastAction.message, n.lastAction.message);
    if (changed && Boolean.TRUE.equals(n.lastAction.rejected)) {
      out.add(EventSpec.warning(Reasons.ACTION_REJECTED, n.lastAction.message));
    } else if (changed) {
      out.add(
          EventSpec.normal(
              Reasons.ACTION_APPLIED, n.lastAction.action + ": " + n.lastAction.message));
    }
  }

  private static void history(
      ModelDeploymentStatus o, ModelDeploymentStatus n, List<EventSpec> out) {
    List<EventSpec> added = new ArrayList<>();
    for (HistoryEntry e : n.history) {
      boolean known =
          o.history.stream()
              .anyMatch(
                  x ->
                      Objects.equals(x.revision, e.revision)
                          && Objects.equals(x.at, e.at)
                          && x.outcome == e.outcome);
      if (known) {
        break;
      }
      String text = "version " + e.version + " (revision " + e.revision + ")";
      added.add(
          switch (e.outcome) {
            case Promoted ->
                EventSpec.normal(Reasons.ROLLOUT_PROMOTED, text + " promoted: " + e.reason);
            case RolledBack ->
                EventSpec.warning(Reasons.ROLLED_BACK, text + " rolled back: " + e.reason);
            case Aborted -> EventSpec.warning(Reasons.ABORTED, text + " aborted: " + e.reason);
          });
    }
    // history is newest first; events read better oldest first
    for (int i = added.size() - 1; i >= 0; i--) {
      out.add(added.get(i));
    }
  }

  /** The HorizontalPodAutoscaler moved to another Deployment (at a promotion or a rollback). */
  private static void autoscaler(
      ModelDeploymentStatus o, ModelDeploymentStatus n, List<EventSpec> out) {
    String before = o.autoscaling == null ? null : o.autoscaling.target;
    String after = n.autoscaling == null ? null : n.autoscaling.target;
    if (before != null && after != null && !before.equals(after)) {
      out.add(
          EventSpec.normal(
              Reasons.AUTOSCALER_RETARGETED,
              "HorizontalPodAutoscaler "
                  + n.autoscaling.hpa
                  + " now scales Deployment "
                  + after
                  + " (was "
                  + before
                  + ")"));
    }
  }

  /** A decision of an A/B test, once: a Warning for an invalid test, Normal otherwise. */
  private static void experiment(
      ModelDeploymentStatus o, ModelDeploymentStatus n, List<EventSpec> out) {
    ExperimentStatus e = n.experiment;
    if (e == null || e.decision == null || e.decision == ExperimentStatus.Decision.Running) {
      return;
    }
    ExperimentStatus before = o.experiment;
    boolean known =
        before != null
            && before.decision == e.decision
            && Objects.equals(before.startedAt, e.startedAt)
            && Objects.equals(before.version, e.version);
    if (known) {
      return;
    }
    String text = "A/B test of version " + e.version + ": " + e.decision + ": " + e.message;
    out.add(
        e.decision == ExperimentStatus.Decision.Invalid
            ? EventSpec.warning(Reasons.SAMPLE_RATIO_MISMATCH, text)
            : EventSpec.normal(Reasons.EXPERIMENT_DECIDED, text));
  }

  private static void gates(ModelDeploymentStatus o, ModelDeploymentStatus n, List<EventSpec> out) {
    for (GateStatus g : n.gates) {
      GateStatus before =
          o.gates.stream().filter(x -> g.name.equals(x.name)).findFirst().orElse(null);
      Verdict was = before == null ? null : before.verdict;
      boolean remeasured = before == null || !Objects.equals(before.measuredAt, g.measuredAt);
      if (g.verdict == was
          && !(remeasured && (g.verdict == Verdict.Pass || g.verdict == Verdict.Fail))) {
        continue;
      }
      boolean stillPassing =
          was == Verdict.Pass
              && g.verdict == Verdict.Pass
              && before.successes != null
              && g.successes != null
              && g.successes > before.successes;
      if (stillPassing) {
        continue; // a gate measured on through a shadow's duration: one GatePassed is enough
      }
      String value = g.value == null ? "no value" : "value " + Thresholds.fmt(g.value);
      if (g.verdict == Verdict.Pass) {
        out.add(
            EventSpec.normal(
                Reasons.GATE_PASSED,
                "gate " + g.name + " passed: " + value + ", threshold " + g.threshold));
      } else if (g.verdict == Verdict.Fail) {
        out.add(
            EventSpec.warning(
                Reasons.GATE_FAILED,
                "gate "
                    + g.name
                    + " failed: "
                    + value
                    + ", threshold "
                    + g.threshold
                    + (g.message == null || g.value != null ? "" : " (" + g.message + ")")));
      } else if (g.verdict == Verdict.Inconclusive && was != Verdict.Inconclusive) {
        out.add(
            EventSpec.warning(
                Reasons.GATE_INCONCLUSIVE, "gate " + g.name + " is inconclusive: " + g.message));
      }
    }
  }
}
