package io.modelrollout.operator.rollout;

import io.modelrollout.operator.api.Durations;
import io.modelrollout.operator.api.GateSpec;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.status.StatusCopy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * Decides the next state of a ModelDeployment from a snapshot (pure; no Kubernetes I/O).
 *
 * <p>The lifecycle: the first revision becomes stable directly. A new revision becomes the canary
 * and walks the plan's stages (weight, pause, analysis; blue-green: preview, analysis, pause,
 * switch, analysis) up to the promote stage, after which it is stable and the old revision is
 * scaled down after scaleDownDelay. Pods move by the rules of {@link Capacity}: stable shrinks only
 * by canary pods that are ready, and a weight is put in force only when the ready pods of both
 * sides carry it. A failed gate, a missed progress deadline or an abort sends all traffic back to
 * stable at once, scales stable back to full size, and removes the canary's pods once stable is
 * ready again (at the latest after scaleDownDelay); the revision is not retried until the spec
 * moves to another revision or a retry action. A new revision mid-rollout supersedes the canary the
 * same way. At zero replicas a new version waits: no pod could prove it. An action is recorded in
 * status with the annotation's value before the annotation is removed, so a crash in between never
 * loses or repeats it. Everything the engine remembers is in the status it returns.
 */
public final class RolloutEngine {
  static final int HISTORY_LIMIT = 10;
  static final Duration DEFAULT_PROGRESS_DEADLINE = Duration.ofMinutes(10);
  static final Duration INVALID_RECHECK = Duration.ofSeconds(15);
  static final Duration MIN_REQUEUE = Duration.ofSeconds(1);

  /** The shortest wait for a deadline still ahead. */
  static final Duration MIN_WAIT = Duration.ofMillis(50);

  /** How soon to look again after a step's weight went into force. */
  public static final Duration SETTLE = Duration.ofMillis(200);

  private final Clock clock;

  public RolloutEngine(Clock clock) {
    this.clock = clock;
  }

  /** The gates that should be measured in this reconcile, before {@link #decide} runs. */
  public List<GateSpec> gatesDue(RolloutSnapshot s) {
    ModelDeploymentStatus st = s.status();
    if (st == null || st.canary == null || st.currentStepIndex == null || !s.problems().isEmpty()) {
      return List.of();
    }
    if (s.specPaused() || Boolean.TRUE.equals(st.userPaused) || s.replicas() == 0) {
      return List.of();
    }
    RolloutPlan plan = RolloutPlan.of(s.policy());
    Instant exact = clock.instant();
    return new StageRunner(
            s, plan, exact.truncatedTo(ChronoUnit.SECONDS), exact, progressDeadline(s), 0)
        .due(st, plan.clampIndex(st.currentStepIndex));
  }

  /**
   * When each gate of the current stage is next due, as {@code after} (the status a reconcile
   * leaves) has it: empty when no gate will be measured (paused, invalid, at zero replicas, no
   * analysis, or every verdict final). The A/B test's own metrics are not among them.
   */
  public Map<GateSpec, Instant> gatesNext(RolloutSnapshot s, ModelDeploymentStatus after) {
    if (after == null
        || after.canary == null
        || after.currentStepIndex == null
        || !s.problems().isEmpty()
        || s.policy() == null) {
      return Map.of();
    }
    if (s.specPaused() || Boolean.TRUE.equals(after.userPaused) || s.replicas() == 0) {
      return Map.of();
    }
    RolloutPlan plan = RolloutPlan.of(s.policy());
    Instant exact = clock.instant();
    return new StageRunner(
            s, plan, exact.truncatedTo(ChronoUnit.SECONDS), exact, progressDeadline(s), 0)
        .nextDue(after, plan.clampIndex(after.currentStepIndex));
  }

  public RolloutDecision decide(RolloutSnapshot s) {
    ModelDeploymentStatus st = StatusCopy.of(s.status());
    st.observedGeneration = s.generation();
    if (!s.problems().isEmpty()) {
      return new RolloutDecision(
          st,
          null,
          Map.of(),
          null,
          null,
          Split.STABLE_ONLY,
          false,
          false,
          INVALID_RECHECK,
          Integer.MAX_VALUE,
          false);
    }
    return new RolloutRun(s, st, RolloutPlan.of(s.policy()), clock.instant(), progressDeadline(s))
        .decide();
  }

  /**
   * How long to wait from {@code exact} until {@code deadline}: at least {@link #MIN_WAIT}, and
   * {@link #MIN_REQUEUE} when it has passed already (what was due now is done by this reconcile).
   * Status times are whole seconds; measuring from the exact time keeps a 1 s gate on time.
   */
  static Duration until(Instant exact, Instant deadline) {
    Duration d = Duration.between(exact, deadline);
    if (d.isNegative() || d.isZero()) {
      return MIN_REQUEUE;
    }
    return d.compareTo(MIN_WAIT) < 0 ? MIN_WAIT : d;
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }

  static Duration progressDeadline(RolloutSnapshot s) {
    return s.policy() == null
        ? DEFAULT_PROGRESS_DEADLINE
        : Durations.parseOr(s.policy().progressDeadline, DEFAULT_PROGRESS_DEADLINE);
  }
}
