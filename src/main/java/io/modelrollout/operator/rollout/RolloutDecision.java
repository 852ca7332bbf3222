package io.modelrollout.operator.rollout;

import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.status.StatusAggregator;
import java.time.Duration;
import java.util.Map;

/**
 * What the reconciler must make true: pods per revision (revisions not listed are deleted), which
 * revision each Service selects, the traffic split, the rollout part of the new status with the
 * facts its conditions are derived from, and when to look again.
 *
 * @param status the rollout state; conditions, phase and weights in force are aggregated later
 * @param applyResources false when the spec is invalid: nothing that runs may change
 * @param actionConsumed the action annotation was handled (now or before) and must be removed
 * @param requeueAfter when a wait ends, or null when only events matter
 * @param podLimit pods all revisions together may ask for before one shrinks (replicas + maxSurge
 *     for a canary; unbounded for blue-green): growth beyond it waits until after the shrink in the
 *     same reconcile
 * @param settling a step's weight was just asked for and the step ends in the next reconcile, which
 *     looks again in a moment: its observations may wait for that reconcile's status write
 */
public record RolloutDecision(
    ModelDeploymentStatus status,
    StatusAggregator.Facts facts,
    Map<String, Integer> replicas,
    String stableRevision,
    String canaryRevision,
    Split split,
    boolean applyResources,
    boolean actionConsumed,
    Duration requeueAfter,
    int podLimit,
    boolean settling) {

  /** The canary's weight in this decision. */
  public int canaryWeight() {
    return split.canaryWeight();
  }

  /** The decision with another status (after aggregation). */
  public RolloutDecision withStatus(ModelDeploymentStatus st) {
    return new RolloutDecision(
        st,
        facts,
        replicas,
        stableRevision,
        canaryRevision,
        split,
        applyResources,
        actionConsumed,
        requeueAfter,
        podLimit,
        settling);
  }
}
