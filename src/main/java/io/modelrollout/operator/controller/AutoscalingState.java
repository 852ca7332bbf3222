package io.modelrollout.operator.controller;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.modelrollout.operator.api.AutoscalingStatus;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.resources.Autoscalers;
import io.modelrollout.operator.resources.Labels;
import io.modelrollout.operator.rollout.RolloutDecision;

/** The autoscaler part of an online model's status: what its HorizontalPodAutoscaler does. */
final class AutoscalingState {
  private AutoscalingState() {}

  static AutoscalingStatus of(ModelDeployment md, RolloutDecision d, Context<ModelDeployment> ctx) {
    if (md.getSpec().autoscaling == null) {
      return null;
    }
    AutoscalingStatus a = new AutoscalingStatus();
    a.hpa = md.getMetadata().getName();
    a.target = Labels.deploymentName(md, d.stableRevision());
    a.scaleDownDisabled = d.canaryRevision() != null ? Boolean.TRUE : null;
    HorizontalPodAutoscaler live =
        ctx.getSecondaryResource(HorizontalPodAutoscaler.class).orElse(null);
    if (live != null && live.getStatus() != null) {
      a.currentReplicas = live.getStatus().getCurrentReplicas();
      a.desiredReplicas = live.getStatus().getDesiredReplicas();
    }
    return a;
  }

  /** The HorizontalPodAutoscaler the decision asks for, or null when the spec has none. */
  static HorizontalPodAutoscaler desired(ModelDeployment md, RolloutDecision d) {
    return md.getSpec().autoscaling == null
        ? null
        : Autoscalers.desired(md, d.stableRevision(), d.canaryRevision() != null);
  }
}
