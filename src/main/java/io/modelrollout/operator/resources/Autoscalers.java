package io.modelrollout.operator.resources;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;
import io.modelrollout.operator.api.AutoscalingSpec;
import io.modelrollout.operator.api.ModelDeployment;
import java.util.List;

/**
 * The HorizontalPodAutoscaler {@code <name>} of an autoscaled online model (pure builder): it
 * scales the stable revision's Deployment. While a rollout runs, its scale-down is disabled, so the
 * canary (sized from the stable's current pods and its weight) never takes capacity away; at
 * promotion it moves to the new stable revision's Deployment, which has the same size.
 */
public final class Autoscalers {
  static final int DEFAULT_CPU_UTILIZATION = 80;

  private Autoscalers() {}

  public static HorizontalPodAutoscaler desired(
      ModelDeployment md, String stableRevision, boolean rolloutInProgress) {
    AutoscalingSpec a = md.getSpec().autoscaling;
    List<MetricSpec> metrics =
        a.metrics == null || a.metrics.isEmpty() ? List.of(defaultMetric()) : a.metrics;
    var b =
        new HorizontalPodAutoscalerBuilder()
            .withNewMetadata()
            .withName(md.getMetadata().getName())
            .withNamespace(md.getMetadata().getNamespace())
            .withLabels(Labels.common(md))
            .withOwnerReferences(RevisionDeployments.ownerReference(md))
            .endMetadata()
            .withNewSpec()
            .withNewScaleTargetRef()
            .withApiVersion("apps/v1")
            .withKind("Deployment")
            .withName(Labels.deploymentName(md, stableRevision))
            .endScaleTargetRef()
            .withMinReplicas(a.minReplicasOrDefault())
            .withMaxReplicas(a.maxReplicas)
            .withMetrics(metrics);
    if (rolloutInProgress) {
      b =
          b.withNewBehavior()
              .withNewScaleDown()
              .withSelectPolicy("Disabled")
              .endScaleDown()
              .endBehavior();
    }
    return b.endSpec().build();
  }

  /** The Deployment size of an autoscaled stable revision: its current size within the bounds. */
  public static int size(AutoscalingSpec a, int specReplicas, Integer current) {
    int n = current != null ? current : specReplicas;
    return Math.max(a.minReplicasOrDefault(), Math.min(a.maxReplicas, n));
  }

  private static MetricSpec defaultMetric() {
    return new MetricSpecBuilder()
        .withType("Resource")
        .withNewResource()
        .withName("cpu")
        .withNewTarget()
        .withType("Utilization")
        .withAverageUtilization(DEFAULT_CPU_UTILIZATION)
        .endTarget()
        .endResource()
        .build();
  }
}
