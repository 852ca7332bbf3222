package io.modelrollout.operator.rollout;

import io.modelrollout.operator.api.Condition;
import io.modelrollout.operator.api.HistoryEntry;
import io.modelrollout.operator.api.HistoryEntry.Outcome;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.api.ModelDeploymentStatus.ActionRecord;
import io.modelrollout.operator.api.ModelDeploymentStatus.ScaleDown;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.RevisionStatus;
import io.modelrollout.operator.status.Conditions;
import io.modelrollout.operator.status.Reasons;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** One decision of {@link RolloutEngine} in progress: lifecycle, actions, stages, then pods. */
final class RolloutRun {
  private final RolloutSnapshot s;
  private final ModelDeploymentStatus st;
  private final RolloutPlan plan;
  private final Instant now;
  private final Instant exact; // now with its fraction of a second: waits end on time
  private final Duration progressDeadline;
  private final Phase previousPhase;
  private final List<Instant> deadlines = new ArrayList<>();

  /** The action to apply now; null when none, or when the annotation's value was applied before. */
  private final String action;

  private boolean forceStep;
  private boolean recorded;
  private boolean held; // a new version waits: paused, or no replicas to check it on
  private boolean settling; // a weight goes into force now; its stage ends on the next reconcile

  RolloutRun(
      RolloutSnapshot s,
      ModelDeploymentStatus st,
      RolloutPlan plan,
      Instant exact,
      Duration progressDeadline) {
    this.s = s;
    this.st = st;
    this.plan = plan;
    this.now = exact.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    this.exact = exact;
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

  RolloutDecision decide() {
    applyPauseAction();
    lifecycle();
    applyAction();
    if (st.canary != null) {
      resumeFromZero();
      progress();
    }
    return finish();
  }

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
      st.stable = revision(s.desiredVersion(), desired, s.replicas());
      st.failedRevision = null;
      addHistory(Outcome.Promoted, reason, st.stable);
      clearRollout();
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
    st.scaleDown.removeIf(
        d ->
            d.revision.equals(st.stable.revision)
                || (st.canary != null && d.revision.equals(st.canary.revision)));
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
      case PAUSE, RESUME -> {} // handled before the lifecycle, see applyPauseAction
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
          goTo(plan.promoteIndex());
          record("promoting fully: skipping the remaining steps");
        } else {
          reject("nothing to promote: no rollout in progress");
        }
      }
      case ABORT -> {
        if (rollout) {
          endCanary(Outcome.Aborted, "aborted by the abort action", true);
          record("rollout aborted; all traffic back on version " + st.stable.version);
        } else {
          reject("nothing to abort: no rollout in progress");
        }
      }
      case ROLLBACK ->
          reject(
              "rollback is for mode Batch; to go back, set spec.model.version to the previous"
                  + " version");
      case RETRY -> {
        if (!recorded) {
          reject("nothing to retry: version " + s.desiredVersion() + " has not failed");
        }
      }
    }
  }

  /** Pause and resume act first, so a resumed ModelDeployment starts a waiting version at once. */
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

  /** A rollout that held its step at zero replicas starts the step again when scaled up. */
  private void resumeFromZero() {
    Condition paused =
        s.status() == null ? null : Conditions.find(s.status().conditions, Condition.PAUSED);
    if (s.replicas() > 0
        && paused != null
        && paused.isTrue()
        && Reasons.SCALED_TO_ZERO.equals(paused.reason)) {
      st.stepStartedAt = now.toString();
    }
  }

  /** Runs stages until one has to wait. */
  private void progress() {
    StageRunner runner = new StageRunner(s, plan, now, exact, progressDeadline, previousWeight());
    for (int guard = 0; guard <= plan.size() && st.canary != null; guard++) {
      int index = plan.clampIndex(st.currentStepIndex);
      st.currentStepIndex = index;
      st.currentStep = plan.stage(index).describe();
      if ((paused() || s.replicas() == 0) && !forceStep) {
        return;
      }
      StageRunner.Result r = runner.run(st, index, forceStep);
      forceStep = false;
      if (r instanceof StageRunner.Wait w) {
        if (w.until() != null) deadlines.add(w.until());
        return;
      }
      if (r instanceof StageRunner.Settle) {
        settling = true;
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

  /** Pods per revision, the split in force, and when to look again. */
  private RolloutDecision finish() {
    Placement placement = new Placement(s, plan);
    Map<String, Integer> replicas = new LinkedHashMap<>();
    int stableReady = s.readyOf(st.stable.revision);
    int stableDesired = s.replicas();
    Split split = Split.STABLE_ONLY;
    if (st.canary != null) {
      int index = plan.clampIndex(st.currentStepIndex);
      int canaryReady = s.readyOf(st.canary.revision);
      int weight = placement.weight(st.stable, st.canary, index, previousWeight());
      Capacity.Pods pods = placement.pods(st.stable, st.canary, index, weight);
      stableDesired = pods.stable();
      replicas.put(st.stable.revision, pods.stable());
      replicas.put(st.canary.revision, pods.canary());
      st.canary.replicas = pods.canary();
      st.canary.readyReplicas = canaryReady;
      RolloutPlan.Extras extras = plan.extras(index);
      boolean canaryServes = canaryReady > 0 && s.replicas() > 0;
      split =
          new Split(
              weight,
              canaryServes ? extras.mirrorPercent() : 0,
              canaryServes ? extras.matches() : List.of(),
              extras.mirrorMatches());
    } else {
      stableDesired = promotedSize();
      replicas.put(st.stable.revision, stableDesired);
    }
    st.stable.replicas = stableDesired;
    st.stable.readyReplicas = stableReady;
    int stableGoal = stableDesired;
    st.scaleDown.removeIf(
        d ->
            !Instant.parse(d.at).isAfter(now)
                || (Boolean.TRUE.equals(d.afterStableReady) && stableReady >= stableGoal));
    for (ScaleDown d : st.scaleDown) {
      deadlines.add(Instant.parse(d.at));
      LiveRevision live = s.live().get(d.revision);
      if (live != null) {
        replicas.putIfAbsent(d.revision, live.replicas());
      }
    }
    if (st.failedRevision != null) {
      replicas.putIfAbsent(st.failedRevision, 0);
    }
    return new RolloutDecision(
        st,
        Pauses.facts(s, st, plan, previousPhase, held, now, progressDeadline),
        replicas,
        st.stable.revision,
        st.canary == null ? null : st.canary.revision,
        split,
        true,
        s.action() != null,
        requeue(),
        plan.atomic() ? Integer.MAX_VALUE : s.replicas() + plan.surge(),
        settling);
  }

  /**
   * The stable revision's pods with no rollout running: all of them, except that right after a
   * canary promotion the previous revision's pods, kept for scaleDownDelay, use the surge first
   * (never more than maxUnavailable short). After a rollback stable is back to full size at once.
   */
  private int promotedSize() {
    int n = s.replicas();
    if (plan.atomic()) {
      return n;
    }
    int leaving =
        st.scaleDown.stream()
            .filter(d -> d.afterStableReady == null)
            .map(d -> s.live().get(d.revision))
            .filter(Objects::nonNull)
            .mapToInt(LiveRevision::replicas)
            .sum();
    return Math.max(n - plan.unavailable(), Math.min(n, n + plan.surge() - leaving));
  }

  /** The canary weight in force before this reconcile, for the canary now in status. */
  private int previousWeight() {
    ModelDeploymentStatus old = s.status();
    if (old == null
        || old.canary == null
        || st.canary == null
        || !Objects.equals(old.canary.revision, st.canary.revision)
        || old.weights == null
        || old.weights.canary == null) {
      return 0;
    }
    return old.weights.canary;
  }

  private Duration requeue() {
    if (settling) {
      return RolloutEngine.SETTLE;
    }
    return deadlines.stream()
        .min(Instant::compareTo)
        .map(t -> RolloutEngine.until(exact, t))
        .orElse(null);
  }

  private boolean paused() {
    return s.specPaused() || Boolean.TRUE.equals(st.userPaused);
  }

  private boolean actionIs(Action a) {
    return Action.parse(action).map(a::equals).orElse(false);
  }

  private void startRollout() {
    if (paused() || s.replicas() == 0) {
      held = true;
      return;
    }
    st.canary = revision(s.desiredVersion(), s.desiredRevision(), 0);
    st.rolloutStartedAt = now.toString();
    st.gates = new ArrayList<>();
    st.experiment = null; // an earlier rollout's A/B test is no evidence of this one
    goTo(0);
  }

  private void goTo(int index) {
    st.currentStepIndex = plan.clampIndex(index);
    st.currentStep = plan.stage(st.currentStepIndex).describe();
    st.stepStartedAt = now.toString();
    if (plan.stage(st.currentStepIndex) instanceof Stage.Analysis
        || plan.stage(st.currentStepIndex) instanceof Stage.Experiment) {
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
            : "completed " + steps + (steps == 1 ? " step" : " steps"),
        st.canary);
    if (!old.revision.equals(st.canary.revision)) {
      st.scaleDown.add(new ScaleDown(old.revision, now.plus(plan.scaleDownDelay()).toString()));
    }
    st.stable = revision(st.canary.version, st.canary.revision, s.replicas());
    clearRollout();
  }

  /**
   * Ends the canary without promotion: traffic leaves it at once, its pods stay until stable is
   * ready at full size again (at the latest scaleDownDelay). {@code failed} keeps it from being
   * retried.
   */
  private void endCanary(Outcome outcome, String reason, boolean failed) {
    RevisionStatus canary = st.canary;
    addHistory(outcome, reason, canary);
    clearRollout();
    if (failed) {
      st.failedRevision = canary.revision;
    }
    st.scaleDown.removeIf(d -> d.revision.equals(canary.revision));
    st.scaleDown.add(
        new ScaleDown(canary.revision, now.plus(plan.scaleDownDelay()).toString(), true));
  }

  private void clearRollout() {
    st.canary = null;
    st.currentStepIndex = null;
    st.currentStep = null;
    st.stepStartedAt = null;
    st.rolloutStartedAt = null;
  }

  private void addHistory(Outcome outcome, String reason, RevisionStatus r) {
    HistoryEntry e = new HistoryEntry(r.version, r.revision, outcome, reason, now.toString());
    e.startedAt = st.rolloutStartedAt != null ? st.rolloutStartedAt : now.toString();
    st.history.add(0, e);
    while (st.history.size() > RolloutEngine.HISTORY_LIMIT) {
      st.history.remove(st.history.size() - 1);
    }
  }

  private void record(String message) {
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
  private void reject(String message) {
    record(message);
    st.lastAction.rejected = true;
  }

  private static RevisionStatus revision(String version, String revision, int replicas) {
    return new RevisionStatus(version, revision, replicas, 0);
  }
}
