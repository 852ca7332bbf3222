package io.modelrollout.operator.rollout;

import io.modelrollout.operator.api.RevisionStatus;
import java.util.Objects;

/**
 * Where pods and traffic go at the current stage (pure): the canary weight the ready pods carry,
 * and the pods to ask for on the way to the stage's targets. See {@link Capacity} for the rules.
 */
final class Placement {
  private final RolloutSnapshot s;
  private final RolloutPlan plan;
  private final Capacity capacity;

  Placement(RolloutSnapshot s, RolloutPlan plan) {
    this.s = s;
    this.plan = plan;
    this.capacity = plan.capacity(s.replicas());
  }

  Capacity capacity() {
    return capacity;
  }

  /**
   * The canary weight in force at stage {@code index}: what the ready pods carry, nothing at zero
   * replicas, and nothing split by pods while a third revision still runs pods.
   *
   * @param previous the weight in force for this canary before this reconcile
   */
  int weight(RevisionStatus stable, RevisionStatus canary, int index, int previous) {
    if (s.replicas() == 0 || plan.shadowing(index)) {
      return 0; // a shadow never answers a user, whatever happens to stable's pods
    }
    int target = plan.target(index).weight();
    int stableReady = s.readyOf(stable.revision);
    int canaryReady = s.readyOf(canary.revision);
    int w = capacity.inForce(target, previous, stableReady, canaryReady);
    if (w != target
        && target > previous
        && w > previous
        && capacity.carries(previous, stableReady, canaryReady)
        && !blocked(stable, canary, index, previous)) {
      w = previous; // the canary's pods are coming: move once they carry the step's weight
    }
    if (w > 0 && w < 100 && s.splitByPods() && thirdRevisionRuns(stable, canary)) {
      return 0; // the entry Service would select its pods too
    }
    return w;
  }

  /** The pods of stable and canary at stage {@code index} with {@code weight} in force. */
  Capacity.Pods pods(RevisionStatus stable, RevisionStatus canary, int index, int weight) {
    Capacity.Pods goals = plan.goals(plan.target(index), s.replicas());
    LiveRevision live = s.live().get(canary.revision);
    return capacity.pods(
        goals.canary(),
        goals.stable(),
        weight,
        s.readyOf(stable.revision),
        s.readyOf(canary.revision),
        live == null ? 0 : live.replicas(),
        leaving(stable, canary));
  }

  /**
   * Whether the canary cannot get the pods of its stage while {@code weight} stays in force: all
   * the pods it may have are ready, and stable cannot shrink further for it. Only then does the
   * weight move to what the ready pods carry before the step's weight is reached.
   */
  private boolean blocked(RevisionStatus stable, RevisionStatus canary, int index, int weight) {
    Capacity.Pods pods = pods(stable, canary, index, weight);
    return pods.canary() <= s.readyOf(canary.revision) && pods.canary() < canaryGoal(index);
  }

  /** The canary pods the stage at {@code index} asks for. */
  int canaryGoal(int index) {
    return plan.goals(plan.target(index), s.replicas()).canary();
  }

  /** Pods of revisions other than stable and canary, on their way out. */
  private int leaving(RevisionStatus stable, RevisionStatus canary) {
    return s.live().values().stream()
        .filter(
            l ->
                !Objects.equals(l.revision(), stable.revision)
                    && !Objects.equals(l.revision(), canary.revision))
        .mapToInt(LiveRevision::replicas)
        .sum();
  }

  /** Whether a revision other than stable and canary still has pods. */
  boolean thirdRevisionRuns(RevisionStatus stable, RevisionStatus canary) {
    return s.live().values().stream()
        .anyMatch(
            l ->
                !Objects.equals(l.revision(), stable.revision)
                    && !Objects.equals(l.revision(), canary.revision)
                    && (l.replicas() > 0 || l.readyReplicas() > 0));
  }
}
