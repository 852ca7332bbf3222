package io.modelrollout.operator.rollout;

import io.modelrollout.operator.api.Durations;
import io.modelrollout.operator.api.GateSpec;
import io.modelrollout.operator.api.HistoryEntry;
import io.modelrollout.operator.api.HistoryEntry.Outcome;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.api.ModelDeploymentStatus.ActionRecord;
import io.modelrollout.operator.api.ModelDeploymentStatus.ScaleDown;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.RevisionStatus;
import io.modelrollout.operator.api.Weights;
import io.modelrollout.operator.status.StatusCopy;
import io.modelrollout.operator.status.StatusSummary;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides the next state of a ModelDeployment from a snapshot (pure; no Kubernetes I/O).
 *
 * <p>The lifecycle: the first revision becomes stable directly. A new revision becomes the canary
 * and walks the plan's stages (weight, pause, analysis; blue-green: preview, analysis, pause,
 * switch, analysis) up to the promote stage, after which it is stable and the old revision is
 * scaled down after scaleDownDelay. A failed gate, a missed progress deadline or an abort sends all
 * traffic back to stable and marks the revision failed; it is not retried until the spec moves to
 * another revision or a retry action. A new revision mid-rollout supersedes the canary. Everything
 * the engine remembers is in the status it returns.
 */
public final class RolloutEngine {
  static final int HISTORY_LIMIT = 10;
  static final Duration DEFAULT_PROGRESS_DEADLINE = Duration.ofMinutes(10);
  static final Duration INVALID_RECHECK = Duration.ofSeconds(60);
  static final Duration MIN_REQUEUE = Duration.ofSeconds(1);

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
    if (s.specPaused() || Boolean.TRUE.equals(st.userPaused)) {
      return List.of();
    }
    RolloutPlan plan = RolloutPlan.of(s.policy());
    return new StageRunner(s, plan, now(), progressDeadline(s))
        .due(st, plan.clampIndex(st.currentStepIndex));
  }

  public RolloutDecision decide(RolloutSnapshot s) {
    Instant now = now();
    ModelDeploymentStatus st = StatusCopy.of(s.status());
    Phase previousPhase = st.phase;
    st.observedGeneration = s.generation();
    if (!s.problems().isEmpty()) {
      StatusSummary.invalid(st, s.generation(), s.problems(), now);
      return new RolloutDecision(
          st, Map.of(), null, null, 0, 0, List.of(), false, false, INVALID_RECHECK);
    }
    RolloutPlan plan = RolloutPlan.of(s.policy());
    Run run = new Run(s, st, plan, now);
    run.applyPauseAction();
    run.lifecycle(previousPhase);
    run.applyAction();
    if (st.canary != null) {
      run.progress();
    }
    return run.finish(previousPhase);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }

  static Duration progressDeadline(RolloutSnapshot s) {
    return s.policy() == null
        ? DEFAULT_PROGRESS_DEADLINE
        : Durations.parseOr(s.policy().progressDeadline, DEFAULT_PROGRESS_DEADLINE);
  }

  /** One decision in progress. */
  private static final class Run {
    final RolloutSnapshot s;
    final ModelDeploymentStatus st;
    final RolloutPlan plan;
    final Instant now;
    final List<Instant> deadlines = new ArrayList<>();
    boolean forceStep;
    boolean recorded;
    boolean held; // a new version waits because the ModelDeployment is paused

    Run(RolloutSnapshot s, ModelDeploymentStatus st, RolloutPlan plan, Instant now) {
      this.s = s;
      this.st = st;
      this.plan = plan;
      this.now = now;
    }

    /** Starts, supersedes, ends or keeps the rollout according to the desired revision. */
    void lifecycle(Phase previousPhase) {
      String desired = s.desiredRevision();
      boolean neverReady = previousPhase == null || previousPhase == Phase.Initializing;
      if (st.stable == null
          || (neverReady && st.canary == null && !desired.equals(st.stable.revision))) {
        String reason =
            st.stable == null
                ? "initial version"
                : "replaced version " + st.stable.version + " before it became ready";
        st.stable = revision(s.desiredVersion(), desired, s.replicas());
        st.failedRevision = null;
        addHistory(Outcome.Promoted, reason);
        clearRollout();
      } else if (desired.equals(st.stable.revision)) {
        if (st.canary != null) {
          endCanary(
              Outcome.Aborted,
              "the spec returned to the stable version " + st.stable.version,
              false);
        }
        st.failedRevision = null;
      } else if (desired.equals(st.failedRevision)) {
        if (actionIs(Action.RETRY)) {
          st.failedRevision = null;
          record("retrying version " + s.desiredVersion());
          startRollout();
        }
      } else {
        st.failedRevision = null;
        if (st.canary != null && !desired.equals(st.canary.revision)) {
          endCanary(Outcome.Aborted, "superseded by version " + s.desiredVersion(), false);
        }
        if (st.canary == null) {
          startRollout();
        }
      }
      st.scaleDown.removeIf(
          d ->
              d.revision.equals(st.stable.revision)
                  || (st.canary != null && d.revision.equals(st.canary.revision)));
    }

    void applyAction() {
      if (s.action() == null) {
        return;
      }
      Optional<Action> action = Action.parse(s.action());
      if (action.isEmpty()) {
        record("unknown action '" + s.action() + "'; expected one of " + Action.accepted());
        return;
      }
      boolean rollout = st.canary != null;
      switch (action.get()) {
        case PAUSE, RESUME -> {} // handled before the lifecycle, see applyPauseAction
        case PROMOTE -> {
          forceStep = rollout;
          record(
              rollout
                  ? "promoted past step '" + st.currentStep + "'"
                  : "nothing to promote: no rollout in progress");
        }
        case PROMOTE_FULL -> {
          if (rollout) {
            goTo(plan.promoteIndex());
          }
          record(
              rollout
                  ? "promoting fully: skipping the remaining steps"
                  : "nothing to promote: no rollout in progress");
        }
        case ABORT -> {
          if (rollout) {
            endCanary(Outcome.Aborted, "aborted by the abort action", true);
          }
          record(
              rollout
                  ? "rollout aborted; all traffic back on version " + st.stable.version
                  : "nothing to abort: no rollout in progress");
        }
        case RETRY -> {
          if (!recorded) {
            record("nothing to retry: version " + s.desiredVersion() + " has not failed");
          }
        }
      }
    }

    /**
     * Pause and resume act first, so a resumed ModelDeployment starts a waiting version at once.
     */
    void applyPauseAction() {
      Optional<Action> action = Action.parse(s.action());
      boolean rollout = st.canary != null;
      if (action.isPresent() && action.get() == Action.PAUSE) {
        st.userPaused = true;
        record(
            rollout
                ? "rollout paused at step '" + st.currentStep + "'"
                : "paused: the next rollout will wait");
      } else if (action.isPresent() && action.get() == Action.RESUME) {
        if (Boolean.TRUE.equals(st.userPaused) && rollout) {
          st.stepStartedAt = now.toString();
        }
        st.userPaused = null;
        record(s.specPaused() ? "resumed, but spec.paused is still true" : "resumed");
      }
    }

    /** Runs stages until one has to wait. */
    void progress() {
      StageRunner runner = new StageRunner(s, plan, now, progressDeadline(s));
      for (int guard = 0; guard <= plan.size() && st.canary != null; guard++) {
        int index = plan.clampIndex(st.currentStepIndex);
        st.currentStepIndex = index;
        st.currentStep = plan.stage(index).describe();
        if (paused() && !forceStep) {
          return;
        }
        StageRunner.Result r = runner.run(st, index, forceStep);
        forceStep = false;
        if (r instanceof StageRunner.Wait w) {
          if (w.until() != null) deadlines.add(w.until());
          return;
        }
        if (r instanceof StageRunner.Fail f) {
          if (s.policy() == null || s.policy().automaticRollback()) {
            endCanary(Outcome.RolledBack, f.message(), true);
          }
          return;
        }
        if (plan.stage(index) instanceof Stage.Promote) {
          promote();
          return;
        }
        goTo(index + 1);
      }
    }

    RolloutDecision finish(Phase previousPhase) {
      st.scaleDown.removeIf(d -> !Instant.parse(d.at).isAfter(now));
      st.scaleDown.forEach(d -> deadlines.add(Instant.parse(d.at)));
      int n = s.replicas();
      Map<String, Integer> replicas = new LinkedHashMap<>();
      for (ScaleDown d : st.scaleDown) {
        Optional.ofNullable(s.live().get(d.revision))
            .ifPresent(l -> replicas.put(d.revision, l.replicas()));
      }
      if (st.failedRevision != null) {
        replicas.put(st.failedRevision, 0);
      }
      int weight = 0;
      RolloutPlan.Extras extras = new RolloutPlan.Extras(0, List.of());
      if (st.canary != null) {
        extras = plan.extras(st.currentStepIndex);
        RolloutPlan.Shape shape = plan.shape(st.currentStepIndex, n);
        replicas.put(st.stable.revision, shape.stableReplicas());
        replicas.put(st.canary.revision, shape.canaryReplicas());
        weight = effectiveWeight(shape);
        st.canary.replicas = shape.canaryReplicas();
        st.canary.readyReplicas = s.readyOf(st.canary.revision);
        st.stable.replicas = shape.stableReplicas();
      } else {
        replicas.put(st.stable.revision, n);
        st.stable.replicas = n;
      }
      st.stable.readyReplicas = s.readyOf(st.stable.revision);
      Weights w = st.weights == null ? new Weights() : st.weights;
      w.canary = weight;
      w.stable = 100 - weight;
      w.mirror =
          extras.mirrorPercent() > 0 && s.readyOf(st.canary == null ? null : st.canary.revision) > 0
              ? extras.mirrorPercent()
              : null;
      st.weights = w;
      st.replicas = st.stable.readyReplicas;
      StatusSummary.summarize(st, facts(previousPhase), now);
      return new RolloutDecision(
          st,
          replicas,
          st.stable.revision,
          st.canary == null ? null : st.canary.revision,
          weight,
          w.mirror == null ? 0 : w.mirror,
          extras.matches(),
          true,
          s.action() != null,
          requeue());
    }

    private StatusSummary.Facts facts(Phase previousPhase) {
      return Pauses.facts(s, st, plan, previousPhase, held);
    }

    private int effectiveWeight(RolloutPlan.Shape shape) {
      int ready = s.readyOf(st.canary.revision);
      if (ready == 0) {
        return 0;
      }
      if (ready >= shape.canaryReplicas()) {
        return shape.weight();
      }
      int previous = st.weights == null || st.weights.canary == null ? 0 : st.weights.canary;
      return Math.min(previous, shape.weight());
    }

    private Duration requeue() {
      return deadlines.stream()
          .min(Instant::compareTo)
          .map(t -> Duration.between(now, t))
          .map(d -> d.compareTo(MIN_REQUEUE) < 0 ? MIN_REQUEUE : d)
          .orElse(null);
    }

    private boolean paused() {
      return s.specPaused() || Boolean.TRUE.equals(st.userPaused);
    }

    private boolean actionIs(Action a) {
      return Action.parse(s.action()).map(a::equals).orElse(false);
    }

    private void startRollout() {
      if (paused()) {
        held = true;
        return;
      }
      st.canary = revision(s.desiredVersion(), s.desiredRevision(), 0);
      st.rolloutStartedAt = now.toString();
      st.gates = new ArrayList<>();
      goTo(0);
    }

    private void goTo(int index) {
      st.currentStepIndex = plan.clampIndex(index);
      st.currentStep = plan.stage(st.currentStepIndex).describe();
      st.stepStartedAt = now.toString();
      if (plan.stage(st.currentStepIndex) instanceof Stage.Analysis) {
        st.gates = new ArrayList<>(); // earlier verdicts stay visible until the next analysis
      }
    }

    private void promote() {
      RevisionStatus old = st.stable;
      int steps = plan.size() - 1;
      addHistory(
          Outcome.Promoted,
          s.policy() == null
              ? "ready; no rollout policy"
              : "completed " + steps + (steps == 1 ? " step" : " steps"));
      if (!old.revision.equals(st.canary.revision)) {
        st.scaleDown.add(new ScaleDown(old.revision, now.plus(plan.scaleDownDelay()).toString()));
      }
      st.stable = revision(st.canary.version, st.canary.revision, s.replicas());
      clearRollout();
    }

    /** Ends the canary without promotion; {@code failed} keeps it from being retried. */
    private void endCanary(Outcome outcome, String reason, boolean failed) {
      RevisionStatus canary = st.canary;
      addHistory(outcome, reason, canary);
      clearRollout();
      if (failed) {
        st.failedRevision = canary.revision;
      }
    }

    private void clearRollout() {
      st.canary = null;
      st.currentStepIndex = null;
      st.currentStep = null;
      st.stepStartedAt = null;
      st.rolloutStartedAt = null;
    }

    private void addHistory(Outcome outcome, String reason) {
      addHistory(
          outcome,
          reason,
          outcome == Outcome.Promoted && st.canary != null ? st.canary : st.stable);
    }

    private void addHistory(Outcome outcome, String reason, RevisionStatus r) {
      st.history.add(0, new HistoryEntry(r.version, r.revision, outcome, reason, now.toString()));
      while (st.history.size() > HISTORY_LIMIT) {
        st.history.remove(st.history.size() - 1);
      }
    }

    private void record(String message) {
      ActionRecord a = new ActionRecord();
      a.action = s.action();
      a.at = now.toString();
      a.message = message;
      st.lastAction = a;
      recorded = true;
    }

    private static RevisionStatus revision(String version, String revision, int replicas) {
      return new RevisionStatus(version, revision, replicas, 0);
    }
  }
}
