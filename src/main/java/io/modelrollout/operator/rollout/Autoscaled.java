package io.modelrollout.operator.rollout;

import io.modelrollout.operator.api.CanarySpec;
import io.modelrollout.operator.api.RolloutPolicySpec;
import io.modelrollout.operator.api.RolloutStrategy;
import io.modelrollout.operator.support.Json;

/**
 * The canary of an autoscaled model (pure). Its autoscaler owns the stable revision's size, so the
 * rollout never shrinks stable: the canary's pods come on top, as many as its weight needs of the
 * stable's current size (20% of 10 pods: 2), and at promotion it grows to the stable's size before
 * it takes all traffic. That is a canary policy whose surge is the stable's size; the engine then
 * keeps every capacity rule of {@link Capacity} unchanged.
 */
public final class Autoscaled {
  private Autoscaled() {}

  /**
   * The policy the engine plans an autoscaled model's rollout with.
   *
   * @param stableSize the stable revision's current size (the autoscaler's choice)
   */
  public static RolloutPolicySpec policy(RolloutPolicySpec policy, int stableSize) {
    if (policy == null || policy.strategy != RolloutStrategy.Canary || policy.canary == null) {
      return policy; // blue-green and no policy keep stable at full size anyway
    }
    RolloutPolicySpec p = Json.copy(policy, RolloutPolicySpec.class);
    CanarySpec c = p.canary;
    c.maxSurge = Math.max(1, stableSize);
    c.maxUnavailable = 0;
    return p;
  }
}
