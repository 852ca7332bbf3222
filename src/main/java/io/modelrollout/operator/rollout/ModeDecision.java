package io.modelrollout.operator.rollout;

/**
 * A decision of {@link ModeEngine}: the rollout part (status, the facts of its conditions, when to
 * look again, whether the action annotation was handled) and the objects the mode must have.
 *
 * @param intent what the writes must make true; null when the spec is invalid
 */
public record ModeDecision(RolloutDecision decision, ModeIntent intent) {}
