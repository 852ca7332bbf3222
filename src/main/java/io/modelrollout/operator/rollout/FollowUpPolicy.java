package io.modelrollout.operator.rollout;

import io.modelrollout.operator.api.GateSpec;
import io.modelrollout.operator.api.RolloutPolicySpec;
import io.modelrollout.operator.support.Json;
import java.util.List;

/**
 * A shadow whose follow-up canary is another RolloutPolicy ({@code shadow.then.policyRef}): its
 * name, and the shadow policy with the follow-up's steps and gates inlined (pure; the operator's
 * reader and the kubectl plugin share it).
 */
public final class FollowUpPolicy {
  private FollowUpPolicy() {}

  /** The name of a shadow's follow-up policy, when the shadow names one instead of steps. */
  public static String ref(RolloutPolicySpec p) {
    if (p == null || p.shadow == null || p.shadow.then == null) {
      return null;
    }
    var then = p.shadow.then;
    return then.canary == null && then.policyRef != null ? then.policyRef.name : null;
  }

  /** A copy of the shadow policy with the follow-up's canary steps and gates inlined. */
  public static RolloutPolicySpec inline(RolloutPolicySpec shadow, RolloutPolicySpec follow) {
    RolloutPolicySpec out = Json.copy(shadow, RolloutPolicySpec.class);
    out.shadow.then.canary = follow.canary;
    out.shadow.then.policyRef = null;
    for (var g : follow.gates == null ? List.<GateSpec>of() : follow.gates) {
      if (out.gates.stream().noneMatch(x -> x.name.equals(g.name))) {
        out.gates.add(g);
      }
    }
    return out;
  }
}
