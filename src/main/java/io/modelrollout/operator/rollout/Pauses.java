package io.modelrollout.operator.rollout;

import io.modelrollout.operator.api.Durations;
import io.modelrollout.operator.api.ExperimentStatus;
import io.modelrollout.operator.api.GateStatus;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.Verdict;
import io.modelrollout.operator.status.Reasons;
import io.modelrollout.operator.status.StatusAggregator;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Why a rollout waits for a person, for data or for pods, in words (pure). */
final class Pauses {
  private Pauses() {}

  static StatusAggregator.Facts facts(
      RolloutSnapshot s,
      ModelDeploymentStatus st,
      RolloutPlan plan,
      Phase previousPhase,
      boolean held,
      Instant now,
      Duration progressDeadline) {
    String reason = null;
    String message = null;
    String waiting = held ? "version " + s.desiredVersion() + " waits to roll out: " : "";
    if (s.specPaused()) {
      reason = Reasons.SPEC_PAUSED;
      message = waiting + "spec.paused is true";
    } else if (Boolean.TRUE.equals(st.userPaused)) {
      reason = Reasons.USER_PAUSED;
      message = waiting + "paused by the pause action; annotate with modelrollout.io/action=resume";
    } else if (s.replicas() == 0 && (held || st.canary != null)) {
      reason = Reasons.SCALED_TO_ZERO;
      message =
          (held ? waiting : "version " + st.canary.version + " holds its step: ")
              + "spec.replicas is 0, so no pod can be checked; the rollout goes on when the"
              + " ModelDeployment is scaled up";
    } else if (st.canary != null) {
      Stage stage = plan.stage(st.currentStepIndex);
      Optional<GateStatus> failed = first(st, Verdict.Fail);
      Optional<GateStatus> inconclusive = first(st, Verdict.Inconclusive);
      if (stage instanceof Stage.Pause p && p.duration() == null) {
        reason = Reasons.PAUSE_STEP;
        message =
            "waiting at step '"
                + stage.describe()
                + "'; annotate with modelrollout.io/action=promote";
      } else if (stage instanceof Stage.Experiment
          && st.experiment != null
          && st.experiment.decision != null
          && st.experiment.decision != ExperimentStatus.Decision.Running
          && st.experiment.decision != ExperimentStatus.Decision.TreatmentWins) {
        reason = Reasons.EXPERIMENT_DECIDED;
        message =
            "A/B test "
                + st.experiment.decision
                + ": "
                + st.experiment.message
                + "; annotate with modelrollout.io/action=promote or abort";
      } else if ((stage instanceof Stage.Analysis || stage instanceof Stage.Experiment)
          && failed.isPresent()) {
        reason = Reasons.GATE_FAILED;
        message =
            StageRunner.describeFailure(failed.get())
                + "; automatic rollback is off: promote or abort";
      } else if ((stage instanceof Stage.Analysis || stage instanceof Stage.Experiment)
          && inconclusive.isPresent()) {
        reason = Reasons.GATE_INCONCLUSIVE;
        message = inconclusive(inconclusive.get(), st, now, progressDeadline);
      }
    }
    LiveRevision stable = s.live().get(st.stable.revision);
    return new StatusAggregator.Facts(
        s.generation(),
        s.replicas(),
        s.desiredRevision(),
        previousPhase,
        stable != null && stable.failed(),
        reason,
        message,
        held ? s.desiredVersion() : null);
  }

  /** Says which query returned nothing, and for how long once past the progress deadline. */
  private static String inconclusive(
      GateStatus g, ModelDeploymentStatus st, Instant now, Duration progressDeadline) {
    String base =
        "gate "
            + g.name
            + " is inconclusive ("
            + g.message
            + "); the rollout waits and never"
            + " promotes on missing data";
    if (st.stepStartedAt == null) {
      return base;
    }
    Duration waited = Duration.between(Instant.parse(st.stepStartedAt), now);
    if (waited.compareTo(progressDeadline) < 0) {
      return base;
    }
    return "gate "
        + g.name
        + " has had no usable value for "
        + Durations.format(waited)
        + ", longer than progressDeadline "
        + Durations.format(progressDeadline)
        + " ("
        + g.message
        + "); the query as sent: "
        + g.query
        + " — check that it matches the series (pods carry modelrollout.io/version as"
        + " {{versionLabel}}); the rollout waits and never promotes on missing data";
  }

  private static Optional<GateStatus> first(ModelDeploymentStatus st, Verdict v) {
    return st.gates.stream().filter(g -> g.verdict == v).findFirst();
  }
}
