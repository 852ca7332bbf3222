package io.modelrollout.operator.rollout;

import io.modelrollout.operator.api.GateSpec;
import io.modelrollout.operator.api.HistoryEntry;
import io.modelrollout.operator.api.HistoryEntry.Outcome;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.api.ModelDeploymentStatus.ActionRecord;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.RevisionStatus;
import io.modelrollout.operator.status.StatusAggregator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One decision for a Batch or an Edge ModelDeployment: the same lifecycle, actions, history, pauses
 * and gates as the canary ({@link RolloutRun}), over a {@link ModePlan} whose mode steps (the
 * validation Job and the CronJob switch; the node percentages) the subclasses run.
 *
 * <p>The first version is in service at once. A new version becomes the canary and walks the plan;
 * after its last step it is in service (stable). A failed step (beyond the gates' limits, a missed
 * deadline, a failed validation Job) or an abort ends it, recorded in the history, and it is not
 * tried again until the spec names another version or a retry action. A new version mid-rollout
 * supersedes the canary.
 */
abstract class ModeRun {
  protected final RolloutSnapshot s;
  protected final ModelDeploymentStatus st;
  protected final ModePlan plan;
  protected final Instant now;
  protected final Duration progressDeadline;
  protected final Phase previousPhase;
  protected final List<Instant> deadlines = new ArrayList<>();

  /** The action to apply now; null when none, or when the annotation's value was applied before. */
  protected final String action;

  private boolean forceStep;
  private boolean recorded;
  protected boolean held; // a new version waits: paused

  ModeRun(
      RolloutSnapshot s,
      ModelDeploymentStatus st,
      ModePlan plan,
      Instant now,
      Duration progressDeadline) {
    this.s = s;
    this.st = st;
    this.plan = plan;
    this.now = now;
    this.progressDeadline = progressDeadline;
    this.previousPhase = st.phase;
    ActionRecord last = st.lastAction;
    boolean pending = last != null && Boolean.TRUE.equals(last.pending);
    boolean appliedBefore = s.action() != null && pending && s.action().equals(last.action);
    this.action = appliedBefore ? null : s.action();
    if (s.action() == null && pending) {
      last.pending = null; // the annotation is gone
    }
  }

  ModeDecision decide() {
    applyPauseAction();
    lifecycle();
    applyAction();
    if (st.canary != null) {
      progress();
    }
    return finish();
  }

  // --- what a mode adds ---

  /** Runs a mode step (not a pause or analysis) once. */
  abstract StageRunner.Result runStep(ModeStep step, int index, boolean forced);

  /** The mode's status and objects, once the rollout state is decided. */
  abstract ModeIntent intent();

  /** A version went into service without a rollout (the first one). */
  void inService(RevisionStatus r) {}

  /** A rollout of {@code canary} starts. */
  void started(RevisionStatus canary) {}

  /** The canary went into service; {@code old} was in service before. */
  void promoted(RevisionStatus old, RevisionStatus canary) {}

  /** Why a promoted version went into service, for the history. */
  String promotionReason() {
    int steps = plan.size();
    return "completed " + steps + (steps == 1 ? " step" : " steps");
  }

  /** The rollback action with no rollout in progress; rejects it by default. */
  void rollbackAction() {
    reject(
        "rollback is for mode Batch; to go back, set spec.model.version to the previous version");
  }

  // --- the lifecycle, as for the canary ---

  /** Starts, supersedes, ends or keeps the rollout according to the desired revision. */
  private void lifecycle() {
    String desired = s.desiredRevision();
    boolean neverReady = previousPhase == null || previousPhase == Phase.Initializing;
    if (st.stable == null
        || (neverReady && st.canary == null && !desired.equals(st.stable.revision))) {
      String reason =
          st.stable == null
              ? "initial version"
              : "replaced version " + st.stable.version + " before it became ready";
      st.stable = revision(s.desiredVersion(), desired);
      st.failedRevision = null;
      addHistory(Outcome.Promoted, reason, st.stable);
      clearRollout();
      inService(st.stable);
    } else if (desired.equals(st.stable.revision)) {
      if (st.canary != null) {
        endCanary(
            Outcome.Aborted, "the spec returned to the stable version " + st.stable.version, false);
      }
      st.failedRevision = null;
    } else if (desired.equals(st.failedRevision)) {
      if (actionIs(Action.RETRY)) {
        st.failedRevision = null;
        record("retrying version " + s.desiredVersion());
        startRollout();
      }
    } else {
      if (st.canary != null && !desired.equals(st.canary.revision)) {
        endCanary(Outcome.Aborted, "superseded by version " + s.desiredVersion(), false);
      }
      st.failedRevision = null;
      if (st.canary == null) {
        startRollout();
      }
    }
  }

  private void applyAction() {
    if (action == null) {
      return;
    }
    Optional<Action> parsed = Action.parse(action);
    if (parsed.isEmpty()) {
      reject("unknown action '" + action + "'; expected one of " + Action.accepted());
      return;
    }
    boolean rollout = st.canary != null;
    switch (parsed.get()) {
      case PAUSE, RESUME -> {} // handled before the lifecycle
      case PROMOTE -> {
        forceStep = rollout;
        if (rollout) {
          record("promoted past step '" + st.currentStep + "'");
        } else {
          reject("nothing to promote: no rollout in progress");
        }
      }
      case PROMOTE_FULL -> {
        if (rollout) {
          goTo(plan.lastIndex());
          record("promoting fully: skipping the remaining steps");
        } else {
          reject("nothing to promote: no rollout in progress");
        }
      }
      case ABORT -> {
        if (rollout) {
          endCanary(Outcome.Aborted, "aborted by the abort action", true);
          record("rollout aborted; version " + st.stable.version + " stays in service");
        } else {
          reject("nothing to abort: no rollout in progress");
        }
      }
      case ROLLBACK -> {
        if (rollout) {
          reject("a rollout is in progress: abort it to keep version " + st.stable.version);
        } else {
          rollbackAction();
        }
      }
      case RETRY -> {
        if (!recorded) {
          reject("nothing to retry: version " + s.desiredVersion() + " has not failed");
        }
      }
    }
  }

  private void applyPauseAction() {
    Optional<Action> parsed = Action.parse(action);
    boolean rollout = st.canary != null;
    if (parsed.isPresent() && parsed.get() == Action.PAUSE) {
      st.userPaused = true;
      record(
          rollout
              ? "rollout paused at step '" + st.currentStep + "'"
              : "paused: the next rollout will wait");
    } else if (parsed.isPresent() && parsed.get() == Action.RESUME) {
      if (Boolean.TRUE.equals(st.userPaused) && rollout) {
        st.stepStartedAt = now.toString();
      }
      st.userPaused = null;
      record(s.specPaused() ? "resumed, but spec.paused is still true" : "resumed");
    }
  }

  /** Runs steps until one has to wait. */
  private void progress() {
    for (int guard = 0; guard <= plan.size() && st.canary != null; guard++) {
      int index = plan.clampIndex(st.currentStepIndex);
      st.currentStepIndex = index;
      st.currentStep = plan.step(index).describe();
      if (paused() && !forceStep) {
        return;
      }
      StageRunner.Result r = run(index, forceStep);
      forceStep = false;
      if (r instanceof StageRunner.Wait w) {
        if (w.until() != null) deadlines.add(w.until());
        return;
      }
      if (r instanceof StageRunner.Fail f) {
        if (s.policy() == null || s.policy().automaticRollback()) {
          endCanary(Outcome.RolledBack, f.message(), true);
        } else {
          failedWithoutRollback(f);
        }
        return;
      }
      if (index >= plan.lastIndex()) {
        promote();
        return;
      }
      goTo(index + 1);
    }
  }

  /** A mode step failed with automatic rollback off: the rollout waits for a person. */
  private void failedWithoutRollback(StageRunner.Fail f) {
    if (!(plan.step(st.currentStepIndex) instanceof ModeStep.Policy)) {
      stuck = f; // an analysis says so itself (Pauses)
    }
  }

  private StageRunner.Fail stuck;

  private StageRunner.Result run(int index, boolean forced) {
    ModeStep step = plan.step(index);
    if (step instanceof ModeStep.Policy) {
      return runner().run(st, index, forced);
    }
    return runStep(step, index, forced);
  }

  private StageRunner runner() {
    return new StageRunner(s, plan.mirror(), now, progressDeadline, 0);
  }

  /** The gates of the current analysis step that should be measured now. */
  List<GateSpec> gatesDue() {
    if (st.canary == null || st.currentStepIndex == null || paused()) {
      return List.of();
    }
    return runner().due(st, plan.clampIndex(st.currentStepIndex));
  }

  private ModeDecision finish() {
    ModeIntent intent = intent();
    StatusAggregator.Facts facts =
        Pauses.facts(s, st, plan.mirror(), previousPhase, held, now, progressDeadline);
    if (stuck != null && facts.pausedReason() == null) {
      facts =
          new StatusAggregator.Facts(
              facts.generation(),
              facts.replicas(),
              facts.desiredRevision(),
              facts.previousPhase(),
              facts.stableFailing(),
              stuck.reason(),
              stuck.message() + "; automatic rollback is off: promote or abort",
              facts.heldVersion());
    }
    RolloutDecision d =
        new RolloutDecision(
            st,
            facts,
            Map.of(),
            st.stable.revision,
            st.canary == null ? null : st.canary.revision,
            Split.STABLE_ONLY,
            true,
            s.action() != null,
            requeue(),
            Integer.MAX_VALUE,
            false);
    return new ModeDecision(d, intent);
  }

  private Duration requeue() {
    return deadlines.stream()
        .min(Instant::compareTo)
        .map(t -> Duration.between(now, t))
        .map(d -> d.compareTo(RolloutEngine.MIN_REQUEUE) < 0 ? RolloutEngine.MIN_REQUEUE : d)
        .orElse(null);
  }

  boolean paused() {
    return s.specPaused() || Boolean.TRUE.equals(st.userPaused);
  }

  private boolean actionIs(Action a) {
    return Action.parse(action).map(a::equals).orElse(false);
  }

  private void startRollout() {
    if (paused()) {
      held = true;
      return;
    }
    st.canary = revision(s.desiredVersion(), s.desiredRevision());
    st.rolloutStartedAt = now.toString();
    st.gates = new ArrayList<>();
    st.experiment = null; // an earlier rollout's A/B test is no evidence of this one
    goTo(0);
    started(st.canary);
  }

  void goTo(int index) {
    st.currentStepIndex = plan.clampIndex(index);
    st.currentStep = plan.step(st.currentStepIndex).describe();
    st.stepStartedAt = now.toString();
    if (plan.step(st.currentStepIndex) instanceof ModeStep.Policy p
        && p.stage() instanceof Stage.Analysis) {
      st.gates = new ArrayList<>(); // earlier verdicts stay visible until the next analysis
    }
  }

  private void promote() {
    RevisionStatus old = st.stable;
    addHistory(
        Outcome.Promoted,
        s.policy() == null ? "no rollout policy; " + promotionReason() : promotionReason(),
        st.canary);
    RevisionStatus canary = st.canary;
    st.stable = revision(canary.version, canary.revision);
    clearRollout();
    promoted(old, st.stable);
  }

  /**
   * Ends the canary without promotion; {@code failed} keeps it from being tried again until the
   * spec names another version or a retry action.
   */
  void endCanary(Outcome outcome, String reason, boolean failed) {
    RevisionStatus canary = st.canary;
    addHistory(outcome, reason, canary);
    clearRollout();
    if (failed) {
      st.failedRevision = canary.revision;
    }
  }

  void clearRollout() {
    st.canary = null;
    st.currentStepIndex = null;
    st.currentStep = null;
    st.stepStartedAt = null;
    st.rolloutStartedAt = null;
  }

  void addHistory(Outcome outcome, String reason, RevisionStatus r) {
    HistoryEntry e = new HistoryEntry(r.version, r.revision, outcome, reason, now.toString());
    e.startedAt = st.rolloutStartedAt != null ? st.rolloutStartedAt : now.toString();
    st.history.add(0, e);
    while (st.history.size() > RolloutEngine.HISTORY_LIMIT) {
      st.history.remove(st.history.size() - 1);
    }
  }

  void record(String message) {
    ActionRecord a = new ActionRecord();
    a.action = action;
    a.at = now.toString();
    a.message = message;
    a.resourceVersion = s.resourceVersion();
    a.pending = true;
    st.lastAction = a;
    recorded = true;
  }

  /** Records an action that makes no sense now: it is removed and changes nothing. */
  void reject(String message) {
    record(message);
    st.lastAction.rejected = true;
  }

  static RevisionStatus revision(String version, String revision) {
    RevisionStatus r = new RevisionStatus();
    r.version = version;
    r.revision = revision;
    return r;
  }
}
