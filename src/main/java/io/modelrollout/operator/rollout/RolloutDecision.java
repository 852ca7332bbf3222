package io.modelrollout.operator.rollout;

import io.modelrollout.operator.api.ModelDeploymentStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the reconciler must make true: pods per revision (revisions not listed are deleted), which
 * revision each Service selects, the canary weight, mirror and header route, the new status and
 * when to look again.
 *
 * @param applyResources false when the spec is invalid: nothing that runs may change
 * @param actionConsumed the action annotation was handled and must be removed
 * @param requeueAfter when a wait ends, or null when only events matter
 */
public record RolloutDecision(
    ModelDeploymentStatus status,
    Map<String, Integer> replicas,
    String stableRevision,
    String canaryRevision,
    int canaryWeight,
    int mirrorPercent,
    List<RouteMatchSpec> canaryMatches,
    boolean applyResources,
    boolean actionConsumed,
    Duration requeueAfter) {}
