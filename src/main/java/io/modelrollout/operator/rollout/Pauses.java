package io.modelrollout.operator.rollout;

import io.modelrollout.operator.api.GateStatus;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.Verdict;
import io.modelrollout.operator.status.Reasons;
import io.modelrollout.operator.status.StatusSummary;
import java.util.Optional;

/** Why a rollout waits for a person or for data, in words, for the Paused condition (pure). */
final class Pauses {
  private Pauses() {}

  static StatusSummary.Facts facts(
      RolloutSnapshot s,
      ModelDeploymentStatus st,
      RolloutPlan plan,
      Phase previousPhase,
      boolean held) {
    String reason = null;
    String message = null;
    String waiting = held ? "version " + s.desiredVersion() + " waits to roll out: " : "";
    if (s.specPaused()) {
      reason = Reasons.SPEC_PAUSED;
      message = waiting + "spec.paused is true";
    } else if (Boolean.TRUE.equals(st.userPaused)) {
      reason = Reasons.USER_PAUSED;
      message = waiting + "paused by the pause action; annotate with modelrollout.io/action=resume";
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
      } else if (stage instanceof Stage.Analysis && failed.isPresent()) {
        reason = Reasons.GATE_FAILED;
        message =
            StageRunner.describeFailure(failed.get())
                + "; automatic rollback is off: promote or abort";
      } else if (stage instanceof Stage.Analysis && inconclusive.isPresent()) {
        reason = Reasons.GATE_INCONCLUSIVE;
        message =
            "gate "
                + inconclusive.get().name
                + " is inconclusive ("
                + inconclusive.get().message
                + "); the rollout waits and never promotes on missing data";
      }
    }
    LiveRevision stable = s.live().get(st.stable.revision);
    return new StatusSummary.Facts(
        s.generation(),
        s.replicas(),
        s.desiredRevision(),
        previousPhase,
        stable != null && stable.failed(),
        reason,
        message,
        held ? s.desiredVersion() : null);
  }

  private static Optional<GateStatus> first(ModelDeploymentStatus st, Verdict v) {
    return st.gates.stream().filter(g -> g.verdict == v).findFirst();
  }
}
