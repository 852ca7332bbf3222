package io.modelrollout.operator.rollout;

/**
 * What runs of one revision: its Deployment's desired and ready pods.
 *
 * @param failed the Deployment reports that it cannot make progress (its own deadline passed)
 */
public record LiveRevision(
    String revision, String version, int replicas, int readyReplicas, boolean failed) {}
