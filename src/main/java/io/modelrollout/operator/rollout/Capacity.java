package io.modelrollout.operator.rollout;

/**
 * Pod arithmetic of a rollout (pure). The rules, also stated in the README:
 *
 * <ul>
 *   <li>A side (stable or canary) that takes {@code p}% of traffic needs its share of {@code
 *       replicas}, rounded up with one percentage point of slack (weights are whole percents, so
 *       67% of 3 pods needs 2), and at least one pod; 100% needs every pod. It takes that traffic
 *       only while it has that many ready pods less {@code maxUnavailable}, and never fewer than
 *       one.
 *   <li>Pods above {@code replicas} never exceed {@code maxSurge}; ready pods of both sides never
 *       fall below {@code replicas - maxUnavailable} because a revision was scaled down.
 *   <li>Stable shrinks only by canary pods that are ready (surge, wait, then shrink), and only as
 *       far as the weight in force still lets it carry its share.
 *   <li>The weight in force is the step's weight when the ready pods carry it. Otherwise it stays
 *       where it was while the canary's pods are on their way, and moves to the carried share of
 *       whole pods closest to the step's (3 of 4 pods: 75%) only when stable must shrink for the
 *       canary to get more pods. An atomic rollout only knows 0 and 100.
 * </ul>
 *
 * @param atomic blue-green and rollouts without a policy: the weight is 0 or 100, stable stays at
 *     full size until promotion
 */
public record Capacity(int replicas, int maxSurge, int maxUnavailable, boolean atomic) {

  /** Pods of the two sides. */
  public record Pods(int stable, int canary) {}

  /** Pods a side needs for {@code share} percent of traffic. */
  public int need(int share) {
    if (share <= 0 || replicas == 0) {
      return 0;
    }
    if (share >= 100) {
      return replicas;
    }
    return Math.max(1, ceilDiv(replicas * (share - 1), 100));
  }

  /** Ready pods a side must have to take {@code share} percent of traffic. */
  public int minReady(int share) {
    return share <= 0 || replicas == 0 ? 0 : Math.max(1, need(share) - maxUnavailable);
  }

  /** Whether the ready pods of both sides carry a canary weight. */
  public boolean carries(int canaryWeight, int stableReady, int canaryReady) {
    return canaryReady >= minReady(canaryWeight) && stableReady >= minReady(100 - canaryWeight);
  }

  /**
   * Whether a weight can ever be carried within the pod budget: each side's minimum beside the
   * other's fits in {@code replicas + maxSurge}.
   */
  public boolean feasible(int canaryWeight) {
    if (replicas == 0 || canaryWeight <= 0 || canaryWeight >= 100) {
      return true;
    }
    return minReady(canaryWeight) + minReady(100 - canaryWeight) <= replicas + maxSurge;
  }

  /** The canary pods a weighted stage runs: its share, within the surge beside stable's minimum. */
  public int canaryTarget(int weight) {
    if (replicas == 0) {
      return 0;
    }
    if (weight >= 100) {
      return replicas;
    }
    int share = Math.max(1, need(weight)); // a weight of 0 still runs a pod (mirror, header route)
    return Math.max(1, Math.min(share, replicas + maxSurge - minReady(100 - weight)));
  }

  /** The stable pods beside the canary at a weighted stage: what the surge leaves, up to full. */
  public int stableTarget(int weight) {
    if (atomic) {
      return replicas;
    }
    int room = replicas + maxSurge - canaryTarget(weight);
    return Math.min(replicas, Math.max(minReady(100 - weight), room));
  }

  /**
   * The pods to ask for now, on the way to the stage's goals without a capacity dip: the side that
   * grows gets what the surge leaves beside the side that shrinks, and the side that shrinks keeps
   * what its weight in force needs and what keeps the ready pods of both at {@code replicas -
   * maxUnavailable}.
   *
   * @param canaryGoal the canary pods the stage asks for (the weighted target, or a fixed preview)
   * @param inForce the canary weight in force (decided in this reconcile)
   * @param canaryNow the canary's pods asked for before this reconcile
   * @param leaving pods of other revisions still waiting to be scaled down, which use the surge
   */
  public Pods pods(
      int canaryGoal,
      int stableGoal,
      int inForce,
      int stableReady,
      int canaryReady,
      int canaryNow,
      int leaving) {
    if (replicas == 0) {
      return new Pods(0, 0);
    }
    if (atomic) {
      return new Pods(stableGoal, Math.max(canaryGoal, minReady(inForce)));
    }
    int keep = replicas - maxUnavailable;
    int budget = replicas + maxSurge - leaving;
    if (canaryGoal >= canaryNow) { // the canary grows, stable shrinks
      int stableFloor = Math.max(minReady(100 - inForce), keep - canaryReady);
      int stable = Math.min(replicas, Math.max(stableGoal, stableFloor));
      int canary = Math.max(minReady(inForce), Math.min(canaryGoal, budget - stable));
      return new Pods(stable, Math.max(0, canary));
    }
    int canaryFloor = Math.max(minReady(inForce), keep - stableReady);
    int canary = Math.min(canaryNow, Math.max(canaryGoal, canaryFloor));
    int stable = Math.max(minReady(100 - inForce), Math.min(stableGoal, budget - canary));
    return new Pods(Math.min(replicas, stable), canary);
  }

  /**
   * The canary weight the ready pods carry, as close to {@code target} as they allow. When no
   * weight is carried on both sides (pods were lost), traffic follows the ready pods.
   *
   * @param previous the weight in force before this reconcile
   */
  public int inForce(int target, int previous, int stableReady, int canaryReady) {
    if (canaryReady <= 0) {
      return 0;
    }
    if (carries(target, stableReady, canaryReady)) {
      return target;
    }
    if (atomic) {
      if (target >= 100 && previous >= 100) {
        return 100; // switched: a lost canary pod does not switch back
      }
      return carries(100 - target, stableReady, canaryReady) ? 100 - target : previous;
    }
    // the carried weight closest to the target, shares of whole pods first (3 of 4 pods: 75)
    int best = -1;
    for (int k = 0; k <= replicas; k++) {
      best = closer(Math.round(100f * k / replicas), best, target, stableReady, canaryReady);
    }
    for (int w = 0; w <= 100 && best < 0; w++) {
      best = closer(w, best, target, stableReady, canaryReady);
    }
    if (best >= 0) {
      return best;
    }
    return stableReady <= 0 ? 100 : Math.round(100f * canaryReady / (stableReady + canaryReady));
  }

  private int closer(int w, int best, int target, int stableReady, int canaryReady) {
    boolean better = best < 0 || Math.abs(w - target) < Math.abs(best - target);
    return better && carries(w, stableReady, canaryReady) ? w : best;
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
