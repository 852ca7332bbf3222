package io.modelrollout.operator.rollout;

import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.Durations;
import io.modelrollout.operator.api.RolloutPolicySpec;
import io.modelrollout.operator.api.RolloutStrategy;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps of a Batch or Edge rollout, compiled from the same policies as the canary. Pauses and
 * analyses mean what they mean for the canary; the traffic steps (setWeight, setMirror,
 * setHeaderRoute) have no meaning for a batch run and are left out, and the validator rejects them
 * for the edge, which moves by node (setNodePercent).
 *
 * <ul>
 *   <li>Batch: the validation Job, the policy's pauses and analyses (blue-green: the pre-promotion
 *       gates and the promotion pause), then the switch of the CronJob.
 *   <li>Edge: the policy's setNodePercent, pause and analysis steps, then all nodes.
 * </ul>
 *
 * @param mirror the same steps as a {@link RolloutPlan}, pauses and analyses in place and a
 *     placeholder elsewhere, so that {@link StageRunner} and {@link Pauses} run them unchanged
 */
public record ModePlan(List<ModeStep> steps, RolloutPlan mirror) {

  /** The plan of a Batch rollout. */
  public static ModePlan batch(RolloutPolicySpec policy) {
    List<ModeStep> steps = new ArrayList<>();
    steps.add(new ModeStep.Validate());
    if (policy != null
        && policy.strategy == RolloutStrategy.BlueGreen
        && policy.blueGreen != null) {
      var b = policy.blueGreen;
      if (b.prePromotionGates != null && !b.prePromotionGates.isEmpty()) {
        steps.add(
            new ModeStep.Policy(
                new Stage.Analysis(List.copyOf(b.prePromotionGates), "pre-promotion analysis")));
      }
      steps.add(
          new ModeStep.Policy(
              new Stage.Pause(
                  b.autoPromotionAfter == null ? null : Durations.parse(b.autoPromotionAfter))));
    } else if (policy != null && policy.canary != null && policy.canary.steps != null) {
      for (CanaryStep s : policy.canary.steps) {
        policyStage(s).ifPresent(steps::add);
      }
    }
    steps.add(new ModeStep.Switch());
    return of(steps);
  }

  /** The plan of an Edge rollout. */
  public static ModePlan edge(RolloutPolicySpec policy) {
    List<ModeStep> steps = new ArrayList<>();
    if (policy != null && policy.canary != null && policy.canary.steps != null) {
      for (CanaryStep s : policy.canary.steps) {
        if (s.setNodePercent != null) {
          steps.add(new ModeStep.Nodes(s.setNodePercent, false));
        } else {
          policyStage(s).ifPresent(steps::add);
        }
      }
    }
    steps.add(new ModeStep.Nodes(100, true));
    return of(steps);
  }

  private static java.util.Optional<ModeStep> policyStage(CanaryStep s) {
    if (s.pause != null) {
      return java.util.Optional.of(
          new ModeStep.Policy(
              new Stage.Pause(
                  s.pause.duration == null ? null : Durations.parse(s.pause.duration))));
    }
    if (s.analysis != null) {
      return java.util.Optional.of(
          new ModeStep.Policy(new Stage.Analysis(List.copyOf(s.analysis.gates), "analysis")));
    }
    return java.util.Optional.empty();
  }

  private static ModePlan of(List<ModeStep> steps) {
    List<Stage> mirror = new ArrayList<>();
    for (ModeStep s : steps) {
      mirror.add(s instanceof ModeStep.Policy p ? p.stage() : new Stage.Promote());
    }
    return new ModePlan(
        List.copyOf(steps),
        new RolloutPlan(List.copyOf(mirror), 0, 0, true, RolloutPlan.DEFAULT_SCALE_DOWN_DELAY));
  }

  public int size() {
    return steps.size();
  }

  public int clampIndex(int index) {
    return Math.max(0, Math.min(index, steps.size() - 1));
  }

  public ModeStep step(int index) {
    return steps.get(clampIndex(index));
  }

  /** The index of the last step, after which the new version is in service. */
  public int lastIndex() {
    return steps.size() - 1;
  }

  /** Edge: the node percentage in force at {@code index}: the last Nodes step at or before it. */
  public int nodePercent(int index) {
    for (int i = clampIndex(index); i >= 0; i--) {
      if (steps.get(i) instanceof ModeStep.Nodes n) {
        return n.percent();
      }
    }
    return 0;
  }
}
