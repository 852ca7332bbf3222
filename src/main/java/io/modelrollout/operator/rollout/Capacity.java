package io.modelrollout.operator.rollout;

/**
 * Pod arithmetic of a rollout (pure). The rules, also stated in the README:
 *
 * <ul>
 *   <li>A side (stable or canary) that takes {@code p}% of traffic needs its share of {@code
 *       replicas}, rounded up, and at least one pod. It takes that traffic only while it has that
 *       many ready pods less {@code maxUnavailable}, and never fewer than one.
 *   <li>Pods above {@code replicas} never exceed {@code maxSurge}; ready pods of both sides never
 *       fall below {@code replicas - maxUnavailable} because a revision was scaled down.
 *   <li>Stable shrinks only by canary pods that are ready (surge, wait, then shrink), and only as
 *       far as the weight in force still lets it carry its share.
 *   <li>The weight in force is the step's weight when the ready pods carry it; otherwise the
 *       carried weight closest to it (traffic follows ready pods, in whole percent; an atomic
 *       rollout only knows 0 and 100).
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
    return Math.max(1, ceilDiv(replicas * Math.min(share, 100), 100));
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
   * The pods to ask for now, on the way to the stage's targets without a capacity dip.
   *
   * @param canaryGoal the canary pods the stage asks for (the weighted target, or a fixed preview)
   * @param inForce the canary weight in force (decided in this reconcile)
   */
  public Pods pods(int canaryGoal, int stableGoal, int inForce, int stableReady, int canaryReady) {
    if (replicas == 0) {
      return new Pods(0, 0);
    }
    if (atomic) {
      return new Pods(stableGoal, Math.max(canaryGoal, minReady(inForce)));
    }
    int stableFloor =
        Math.max(minReady(100 - inForce), replicas - maxUnavailable - Math.max(0, canaryReady));
    int stable = Math.min(replicas, Math.max(stableGoal, stableFloor));
    int canary = Math.max(minReady(inForce), Math.min(canaryGoal, replicas + maxSurge - stable));
    return new Pods(stable, Math.max(0, canary));
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
    int best = -1;
    for (int w = 0; w <= 100; w++) {
      if (carries(w, stableReady, canaryReady)
          && (best < 0 || Math.abs(w - target) < Math.abs(best - target))) {
        best = w;
      }
    }
    if (best >= 0) {
      return best;
    }
    return stableReady <= 0 ? 100 : Math.round(100f * canaryReady / (stableReady + canaryReady));
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
