package io.modelrollout.operator.rollout;

import io.modelrollout.operator.api.BlueGreenSpec;
import io.modelrollout.operator.api.CanarySpec;
import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.Durations;
import io.modelrollout.operator.api.RolloutPolicySpec;
import io.modelrollout.operator.api.RolloutStrategy;
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
    return canary(policy.canary);
  }

  private static RolloutPlan canary(CanarySpec c) {
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
    stages.add(new Stage.Promote());
    int surge = c == null || c.maxSurge == null ? 1 : c.maxSurge;
    int unavailable = c == null || c.maxUnavailable == null ? 0 : c.maxUnavailable;
    Duration delay =
        Durations.parseOr(c == null ? null : c.scaleDownDelay, DEFAULT_SCALE_DOWN_DELAY);
    return new RolloutPlan(List.copyOf(stages), surge, unavailable, false, delay);
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
    List<RouteMatchSpec> out = new ArrayList<>();
    if (r.match != null) {
      for (CanaryStep.RouteMatch m : r.match) {
        if (m.header != null) out.add(new RouteMatchSpec(m.header.name, m.header.value, false));
        if (m.cookie != null) out.add(new RouteMatchSpec(m.cookie.name, m.cookie.value, true));
      }
    }
    return List.copyOf(out);
  }

  /** Mirror and header route in force at {@code index}: the last ones set at or before it. */
  public Extras extras(int index) {
    int mirror = 0;
    List<RouteMatchSpec> matches = List.of();
    for (int i = 0; i <= clampIndex(index); i++) {
      Stage s = stages.get(i);
      if (s instanceof Stage.Mirror m) mirror = m.percent();
      if (s instanceof Stage.HeaderRoute h) matches = h.matches();
    }
    return new Extras(mirror, matches);
  }

  /** Route settings beyond the weight. */
  public record Extras(int mirrorPercent, List<RouteMatchSpec> matches) {}

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

  /** What the stage at {@code index} asks for (the last traffic stage at or before it). */
  public Target target(int index) {
    for (int i = clampIndex(index); i >= 0; i--) {
      Stage s = stages.get(i);
      if (s instanceof Stage.Weight w) {
        return new Target(w.percent(), null);
      } else if (s instanceof Stage.Preview p) {
        return new Target(0, p.replicas());
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
