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
 * The stages of a policy and the pod counts and weight each implies. Pause and analysis stages keep
 * the shape of the last traffic stage before them.
 *
 * @param surge pods allowed above spec.replicas (canary maxSurge; blue-green needs full surge)
 */
public record RolloutPlan(
    List<Stage> stages, int surge, boolean keepStableFull, Duration scaleDownDelay) {

  static final Duration DEFAULT_SCALE_DOWN_DELAY = Duration.ofSeconds(30);

  /** Pods and weight of a stage. */
  public record Shape(int canaryReplicas, int stableReplicas, int weight) {}

  /** The plan of a policy; a null policy replaces the stable revision once the new one is ready. */
  public static RolloutPlan of(RolloutPolicySpec policy) {
    if (policy == null) {
      return new RolloutPlan(List.of(new Stage.Promote()), 0, true, DEFAULT_SCALE_DOWN_DELAY);
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
    Duration delay =
        Durations.parseOr(c == null ? null : c.scaleDownDelay, DEFAULT_SCALE_DOWN_DELAY);
    return new RolloutPlan(List.copyOf(stages), surge, false, delay);
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
    return new RolloutPlan(List.copyOf(stages), 0, true, delay);
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

  /** Pods and weight at {@code index} for {@code replicas} desired pods. */
  public Shape shape(int index, int replicas) {
    for (int i = clampIndex(index); i >= 0; i--) {
      Stage s = stages.get(i);
      if (s instanceof Stage.Weight w) {
        return weighted(w.percent(), replicas);
      } else if (s instanceof Stage.Preview p) {
        return new Shape(p.replicas(), replicas, 0);
      } else if (s instanceof Stage.Switch || s instanceof Stage.Promote) {
        return new Shape(replicas, stableBeside(replicas, replicas), 100);
      }
    }
    return weighted(0, replicas);
  }

  private Shape weighted(int percent, int replicas) {
    int canary = replicas == 0 ? 0 : Math.max(1, (int) Math.ceil(replicas * percent / 100.0));
    return new Shape(canary, stableBeside(canary, replicas), percent);
  }

  /** Stable pods beside {@code canary} canary pods, within maxSurge. */
  private int stableBeside(int canary, int replicas) {
    if (keepStableFull) {
      return replicas;
    }
    return Math.max(0, Math.min(replicas, replicas + surge - canary));
  }
}
