package io.modelrollout.operator.cli;

import io.modelrollout.operator.api.DeploymentMode;
import io.modelrollout.operator.api.ModelDeploymentSpec;
import io.modelrollout.operator.api.RolloutPolicySpec;
import io.modelrollout.operator.rollout.ModePlan;
import io.modelrollout.operator.rollout.ModeStep;
import io.modelrollout.operator.rollout.RolloutPlan;
import io.modelrollout.operator.rollout.Stage;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps the operator walks for a ModelDeployment, as it compiles them: an Online rollout from
 * the {@link RolloutPlan} of its policy, a Batch or Edge rollout from the {@link ModePlan} (the
 * validation Job, no traffic steps, setNodePercent, the CronJob switch or all nodes last).
 *
 * @param texts each step in words, as the operator writes it to {@code status.currentStep}
 * @param stages the policy stage behind each step (a pause, an analysis, ...), or null for a mode
 *     step (validation Job, CronJob switch, node percentage)
 * @param online the plan of an Online rollout (for the weight a step asks), null for Batch and Edge
 */
record StepPlan(List<String> texts, List<Stage> stages, RolloutPlan online) {

  static StepPlan of(ModelDeploymentSpec spec, RolloutPolicySpec policy) {
    DeploymentMode mode = spec == null ? DeploymentMode.Online : spec.modeOrDefault();
    if (mode == DeploymentMode.Online) {
      RolloutPlan plan = RolloutPlan.of(policy);
      return new StepPlan(
          plan.stages().stream().map(Stage::describe).toList(), plan.stages(), plan);
    }
    ModePlan plan = mode == DeploymentMode.Batch ? ModePlan.batch(policy) : ModePlan.edge(policy);
    List<String> texts = new ArrayList<>();
    List<Stage> stages = new ArrayList<>();
    for (ModeStep s : plan.steps()) {
      texts.add(s.describe());
      stages.add(s instanceof ModeStep.Policy p ? p.stage() : null);
    }
    return new StepPlan(List.copyOf(texts), java.util.Collections.unmodifiableList(stages), null);
  }

  /** The number of steps, or null when the policy cannot be compiled. */
  static Integer count(ModelDeploymentSpec spec, RolloutPolicySpec policy) {
    try {
      return of(spec, policy).size();
    } catch (RuntimeException e) {
      return null;
    }
  }

  int size() {
    return texts.size();
  }

  /** The index clamped to the plan (a policy may shrink mid-rollout), as the operator does. */
  int clampIndex(int index) {
    return Math.max(0, Math.min(index, texts.size() - 1));
  }

  /** The policy stage at {@code index}, or null for a mode step. */
  Stage stage(int index) {
    return stages.get(clampIndex(index));
  }
}
