package io.modelrollout.operator.validation;

import io.modelrollout.operator.analysis.QueryTemplate;
import io.modelrollout.operator.api.ABTestSpec;
import io.modelrollout.operator.api.CanarySpec;
import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.Durations;
import io.modelrollout.operator.api.RolloutPolicySpec;
import io.modelrollout.operator.api.RolloutStrategy;
import io.modelrollout.operator.api.ShadowSpec;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** What the schema cannot check of shadow and A/B test policies (pure). */
final class ShadowChecks {
  private ShadowChecks() {}

  /** The canary steps a policy walks: its own, or a shadow's follow-up canary. */
  static CanarySpec steps(RolloutPolicySpec p) {
    if (p.strategy == RolloutStrategy.Canary) {
      return p.canary;
    }
    if (p.strategy == RolloutStrategy.Shadow
        && p.shadow != null
        && p.shadow.then != null
        && p.shadow.then.strategyOrDefault() == ShadowSpec.FollowUp.Canary) {
      return p.shadow.then.canary;
    }
    return null;
  }

  static void shadow(RolloutPolicySpec p, Set<String> gates, Consumer<String> problems) {
    ShadowSpec sh = p.shadow;
    if (sh == null) {
      problems.accept("a Shadow policy needs shadow");
      return;
    }
    SpecValidator.duration("shadow.duration", sh.duration, problems);
    if (sh.gates == null || sh.gates.isEmpty()) {
      problems.accept("shadow.gates needs at least one gate");
    }
    SpecValidator.gateRefs(sh.gates, gates, problems);
    if (sh.mirrorPercent == null || sh.mirrorPercent < 1 || sh.mirrorPercent > 100) {
      problems.accept("shadow.mirrorPercent must be between 1 and 100");
    }
    ShadowSpec.Then then = sh.then;
    if (then != null && then.strategyOrDefault() == ShadowSpec.FollowUp.Canary) {
      if (then.canary == null && then.policyRef == null) {
        problems.accept("shadow.then.strategy Canary needs then.canary or then.policyRef");
      } else if (then.canary != null) {
        canarySteps(then.canary, gates, problems);
      }
    }
  }

  /** The shadow's pods come from the surge, so they must fit in it. */
  static void capacity(RolloutPolicySpec p, Consumer<String> problems) {
    ShadowSpec sh = p.shadow;
    CanarySpec follow = steps(p);
    if (sh == null || follow == null) {
      return;
    }
    int surge = follow.maxSurge == null ? 1 : follow.maxSurge;
    if (sh.replicasOrDefault() > surge) {
      problems.accept(
          "shadow.replicas "
              + sh.replicasOrDefault()
              + " exceeds the follow-up canary's maxSurge "
              + surge
              + ": the shadow's pods run beside all of stable's; raise then.canary.maxSurge");
    }
  }

  static void abTest(
      RolloutPolicySpec p, Set<String> gates, String defaultPrometheus, Consumer<String> problems) {
    ABTestSpec ab = p.abTest;
    if (ab == null) {
      problems.accept("an ABTest policy needs abTest");
      return;
    }
    SpecValidator.duration("abTest.minDuration", ab.minDuration, problems);
    SpecValidator.duration("abTest.maxDuration", ab.maxDuration, problems);
    SpecValidator.duration("abTest.interval", ab.interval, problems);
    try {
      Duration min = Durations.parse(ab.minDuration);
      Duration max = Durations.parse(ab.maxDuration);
      if (min.compareTo(max) > 0) {
        problems.accept("abTest.minDuration must not be longer than abTest.maxDuration");
      }
    } catch (IllegalArgumentException e) {
      // reported above
    }
    SpecValidator.gateRefs(ab.guardrails, gates, problems);
    Set<String> names = new HashSet<>();
    for (ABTestSpec.ABMetric m : ab.metrics == null ? List.<ABTestSpec.ABMetric>of() : ab.metrics) {
      if (!names.add(m.name)) {
        problems.accept("abTest metric name '" + m.name + "' is used twice");
      }
      if ((m.rate == null) == (m.mean == null)) {
        problems.accept("abTest metric " + m.name + " sets exactly one of rate or mean");
      }
      if (m.labels == null || m.labels.isBlank()) {
        problems.accept("abTest metric " + m.name + " needs labels");
      } else {
        QueryTemplate.problems(m.labels)
            .forEach(x -> problems.accept("abTest metric " + m.name + " labels: " + x));
      }
    }
    if (ab.metrics == null || ab.metrics.isEmpty()) {
      problems.accept("abTest.metrics needs at least one metric");
    }
    boolean address =
        ab.prometheus != null && ab.prometheus.address != null && !ab.prometheus.address.isBlank();
    if (!address && (defaultPrometheus == null || defaultPrometheus.isBlank())) {
      problems.accept(
          "abTest has no prometheus.address and the operator has no default address (set"
              + " MRO_PROMETHEUS_ADDRESS)");
    }
  }

  private static void canarySteps(CanarySpec c, Set<String> gates, Consumer<String> problems) {
    if (c.steps == null || c.steps.isEmpty()) {
      problems.accept("shadow.then.canary needs at least one step");
      return;
    }
    SpecValidator.duration("shadow.then.canary.scaleDownDelay", c.scaleDownDelay, problems);
    for (CanaryStep s : c.steps) {
      if (s.pause != null) SpecValidator.duration("pause.duration", s.pause.duration, problems);
      if (s.analysis != null) SpecValidator.gateRefs(s.analysis.gates, gates, problems);
    }
  }
}
