package io.modelrollout.operator.rollout;

import io.modelrollout.operator.api.GateSpec;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.status.StatusCopy;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * Decides the next state of a Batch or an Edge ModelDeployment (pure), as {@link RolloutEngine}
 * does for an online one: from the same snapshot (spec, policy, status, action, measurements) and
 * what was observed of the mode's objects.
 */
public final class ModeEngine {
  private final Clock clock;

  public ModeEngine(Clock clock) {
    this.clock = clock;
  }

  /** The gates that should be measured in this reconcile, before {@link #decide} runs. */
  public List<GateSpec> gatesDue(RolloutSnapshot s, ModeObserved m) {
    ModelDeploymentStatus st = s.status();
    if (st == null || st.canary == null || st.stable == null || !s.problems().isEmpty()) {
      return List.of();
    }
    return run(s, StatusCopy.of(st), m).gatesDue();
  }

  public ModeDecision decide(RolloutSnapshot s, ModeObserved m) {
    ModelDeploymentStatus st = StatusCopy.of(s.status());
    st.observedGeneration = s.generation();
    if (!s.problems().isEmpty()) {
      return new ModeDecision(
          new RolloutDecision(
              st,
              null,
              Map.of(),
              null,
              null,
              Split.STABLE_ONLY,
              false,
              false,
              RolloutEngine.INVALID_RECHECK,
              Integer.MAX_VALUE,
              false),
          null);
    }
    return run(s, st, m).decide();
  }

  private ModeRun run(RolloutSnapshot s, ModelDeploymentStatus st, ModeObserved m) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    var deadline = RolloutEngine.progressDeadline(s);
    if (m instanceof BatchObserved b) {
      return new BatchRun(s, st, b, now, deadline);
    }
    return new EdgeRun(s, st, (EdgeObserved) m, now, deadline);
  }
}
