package io.modelrollout.operator.rollout;

import io.modelrollout.operator.api.ABTestSpec;
import io.modelrollout.operator.api.BlueGreenSpec;
import io.modelrollout.operator.api.CanarySpec;
import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.Durations;
import io.modelrollout.operator.api.RequestMatch;
import io.modelrollout.operator.api.RolloutPolicySpec;
import io.modelrollout.operator.api.RolloutStrategy;
import io.modelrollout.operator.api.ShadowSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The stages of a policy and what each asks of the canary: a weight and, for blue-green, a fixed
 * number of pods. Pause and analysis stages keep the target of the last traffic stage before them.
 *
 * @param surge pods allowed above spec.replicas (canary maxSurge)
 * @param unavailable ready pods the canary may take from stable (canary maxUnavailable)
 * @param atomic blue-green and no policy: weight 0 or 100, stable at full size until promotion
 */
public record RolloutPlan(
    List<Stage> stages, int surge, int unavailable, boolean atomic, Duration scaleDownDelay) {

  static final Duration DEFAULT_SCALE_DOWN_DELAY = Duration.ofSeconds(30);

  /**
   * What a stage asks for.
   *
   * @param canaryPods fixed canary pods (blue-green preview and switch), or null to follow the
   *     weight
   */
  public record Target(int weight, Integer canaryPods) {}

  /** The plan of a policy; a null policy replaces the stable revision once the new one is ready. */
  public static RolloutPlan of(RolloutPolicySpec policy) {
    if (policy == null) {
      return new RolloutPlan(List.of(new Stage.Promote()), 0, 0, true, DEFAULT_SCALE_DOWN_DELAY);
    }
    if (policy.strategy == RolloutStrategy.BlueGreen) {
      return blueGreen(policy.blueGreen == null ? new BlueGreenSpec() : policy.blueGreen);
    }
    if (policy.strategy == RolloutStrategy.Shadow && policy.shadow != null) {
      return shadow(policy.shadow);
    }
    if (policy.strategy == RolloutStrategy.ABTest && policy.abTest != null) {
      return abTest(policy.abTest);
    }
    return canary(policy.canary);
  }

  /**
   * Shadow: the new revision's pods with the mirror (no weight), the comparison for the shadow's
   * duration, then as {@code then} says: a pause for a person, a direct promotion, or canary steps;
   * mirroring stops before any weight moves. The shadow's pods come from the surge (of the
   * follow-up canary, or as many as the shadow runs).
   */
  private static RolloutPlan shadow(ShadowSpec sh) {
    List<Stage> stages = new ArrayList<>();
    stages.add(new Stage.Shadow(sh.replicasOrDefault(), sh.mirrorPercent, mirrorMatches(sh)));
    stages.add(
        new Stage.Analysis(
            List.copyOf(sh.gates),
            "shadow analysis",
            Durations.parse(sh.duration),
            sh.minSamplesOrDefault()));
    ShadowSpec.Then then = sh.then == null ? new ShadowSpec.Then() : sh.then;
    if (then.strategyOrDefault() == ShadowSpec.FollowUp.Manual) {
      stages.add(new Stage.Pause(null));
    }
    stages.add(new Stage.Mirror(0));
    CanarySpec follow = then.strategyOrDefault() == ShadowSpec.FollowUp.Canary ? then.canary : null;
    if (follow != null && follow.steps != null) {
      stages.addAll(canarySteps(follow));
    }
    stages.add(new Stage.Promote());
    int surge =
        follow == null ? sh.replicasOrDefault() : follow.maxSurge == null ? 1 : follow.maxSurge;
    int unavailable = follow == null || follow.maxUnavailable == null ? 0 : follow.maxUnavailable;
    Duration delay =
        Durations.parseOr(follow == null ? null : follow.scaleDownDelay, DEFAULT_SCALE_DOWN_DELAY);
    return new RolloutPlan(List.copyOf(stages), surge, unavailable, false, delay);
  }

  /**
   * A/B test: the treatment's weight (its pods follow it), the header or cookie pins, the test;
   * then a pause for a person when a win waits for one, and the promotion.
   */
  private static RolloutPlan abTest(ABTestSpec ab) {
    List<Stage> stages = new ArrayList<>();
    stages.add(new Stage.Weight(ab.treatmentWeightOrDefault()));
    List<RouteMatchSpec> pins = routeMatches(ab.match);
    if (!pins.isEmpty()) {
      stages.add(new Stage.HeaderRoute(pins));
    }
    stages.add(new Stage.Experiment(ab));
    if (ab.onWinOrDefault() == ABTestSpec.OnWin.Manual) {
      stages.add(new Stage.Pause(null));
    }
    stages.add(new Stage.Promote());
    return new RolloutPlan(List.copyOf(stages), 1, 0, false, DEFAULT_SCALE_DOWN_DELAY);
  }

  private static List<RequestMatchSpec> mirrorMatches(ShadowSpec sh) {
    List<RequestMatchSpec> out = new ArrayList<>();
    for (RequestMatch m : sh.match == null ? List.<RequestMatch>of() : sh.match) {
      List<RouteMatchSpec> headers = new ArrayList<>();
      if (m.headers != null) {
        m.headers.forEach(h -> headers.add(new RouteMatchSpec(h.name, h.value, false)));
      }
      out.add(new RequestMatchSpec(m.method, m.pathPrefix, headers));
    }
    return out;
  }

  private static RolloutPlan canary(CanarySpec c) {
    List<Stage> stages = new ArrayList<>(canarySteps(c));
    stages.add(new Stage.Promote());
    int surge = c == null || c.maxSurge == null ? 1 : c.maxSurge;
    int unavailable = c == null || c.maxUnavailable == null ? 0 : c.maxUnavailable;
    Duration delay =
        Durations.parseOr(c == null ? null : c.scaleDownDelay, DEFAULT_SCALE_DOWN_DELAY);
    return new RolloutPlan(List.copyOf(stages), surge, unavailable, false, delay);
  }

  private static List<Stage> canarySteps(CanarySpec c) {
    List<Stage> stages = new ArrayList<>();
    if (c != null && c.steps != null) {
      for (CanaryStep s : c.steps) {
        if (s.setWeight != null) {
          stages.add(new Stage.Weight(s.setWeight));
        } else if (s.pause != null) {
          stages.add(
              new Stage.Pause(s.pause.duration == null ? null : Durations.parse(s.pause.duration)));
        } else if (s.analysis != null) {
          stages.add(new Stage.Analysis(List.copyOf(s.analysis.gates), "analysis"));
        } else if (s.setMirror != null) {
          stages.add(new Stage.Mirror(s.setMirror.percent == null ? 0 : s.setMirror.percent));
        } else if (s.setHeaderRoute != null) {
          stages.add(new Stage.HeaderRoute(matches(s.setHeaderRoute)));
        }
      }
    }
    return stages;
  }

  private static RolloutPlan blueGreen(BlueGreenSpec b) {
    List<Stage> stages = new ArrayList<>();
    stages.add(new Stage.Preview(b.previewReplicas == null ? 1 : b.previewReplicas));
    if (b.prePromotionGates != null && !b.prePromotionGates.isEmpty()) {
      stages.add(new Stage.Analysis(List.copyOf(b.prePromotionGates), "pre-promotion analysis"));
    }
    stages.add(
        new Stage.Pause(
            b.autoPromotionAfter == null ? null : Durations.parse(b.autoPromotionAfter)));
    stages.add(new Stage.Switch());
    if (b.postPromotionGates != null && !b.postPromotionGates.isEmpty()) {
      stages.add(new Stage.Analysis(List.copyOf(b.postPromotionGates), "post-promotion analysis"));
    }
    stages.add(new Stage.Promote());
    Duration delay = Durations.parseOr(b.scaleDownDelay, DEFAULT_SCALE_DOWN_DELAY);
    return new RolloutPlan(List.copyOf(stages), 0, 0, true, delay);
  }

  private static List<RouteMatchSpec> matches(CanaryStep.HeaderRoute r) {
    return routeMatches(r.match);
  }

  private static List<RouteMatchSpec> routeMatches(List<CanaryStep.RouteMatch> match) {
    List<RouteMatchSpec> out = new ArrayList<>();
    if (match != null) {
      for (CanaryStep.RouteMatch m : match) {
        if (m.header != null) out.add(new RouteMatchSpec(m.header.name, m.header.value, false));
        if (m.cookie != null) out.add(new RouteMatchSpec(m.cookie.name, m.cookie.value, true));
      }
    }
    return List.copyOf(out);
  }

  /** Mirror and header route in force at {@code index}: the last ones set at or before it. */
  public Extras extras(int index) {
    int mirror = 0;
    List<RequestMatchSpec> mirrorMatches = List.of();
    List<RouteMatchSpec> matches = List.of();
    for (int i = 0; i <= clampIndex(index); i++) {
      Stage s = stages.get(i);
      if (s instanceof Stage.Mirror m) {
        mirror = m.percent();
        mirrorMatches = List.of();
      }
      if (s instanceof Stage.Shadow sh) {
        mirror = sh.percent();
        mirrorMatches = sh.matches();
      }
      if (s instanceof Stage.HeaderRoute h) matches = h.matches();
    }
    return new Extras(mirror, matches, mirrorMatches);
  }

  /** Route settings beyond the weight. */
  public record Extras(
      int mirrorPercent, List<RouteMatchSpec> matches, List<RequestMatchSpec> mirrorMatches) {}

  public int size() {
    return stages.size();
  }

  /** The stage at {@code index}, clamped to the plan (a policy may shrink mid-rollout). */
  public Stage stage(int index) {
    return stages.get(clampIndex(index));
  }

  public int clampIndex(int index) {
    return Math.max(0, Math.min(index, stages.size() - 1));
  }

  public int promoteIndex() {
    return stages.size() - 1;
  }

  /** The pod arithmetic of this plan for {@code replicas} desired pods. */
  public Capacity capacity(int replicas) {
    return new Capacity(replicas, surge, unavailable, atomic);
  }

  /** Whether the last traffic stage at or before {@code index} is a shadow: no weight, ever. */
  public boolean shadowing(int index) {
    for (int i = clampIndex(index); i >= 0; i--) {
      Stage s = stages.get(i);
      if (s instanceof Stage.Shadow) {
        return true;
      }
      if (s instanceof Stage.Weight
          || s instanceof Stage.Preview
          || s instanceof Stage.Switch
          || s instanceof Stage.Promote) {
        return false;
      }
    }
    return false;
  }

  /** What the stage at {@code index} asks for (the last traffic stage at or before it). */
  public Target target(int index) {
    for (int i = clampIndex(index); i >= 0; i--) {
      Stage s = stages.get(i);
      if (s instanceof Stage.Weight w) {
        return new Target(w.percent(), null);
      } else if (s instanceof Stage.Preview p) {
        return new Target(0, p.replicas());
      } else if (s instanceof Stage.Shadow sh) {
        return new Target(0, sh.replicas());
      } else if (s instanceof Stage.Switch || s instanceof Stage.Promote) {
        return new Target(100, null);
      }
    }
    return new Target(0, null);
  }

  /** The canary's and stable's pod goals at a target for {@code replicas} desired pods. */
  public Capacity.Pods goals(Target t, int replicas) {
    Capacity c = capacity(replicas);
    if (replicas == 0) {
      return new Capacity.Pods(0, 0);
    }
    int canary = t.canaryPods() != null ? t.canaryPods() : c.canaryTarget(t.weight());
    return new Capacity.Pods(c.stableTarget(t.weight()), canary);
  }
}
