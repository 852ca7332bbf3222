package io.modelrollout.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelrollout.operator.api.AutoscalingSpec;
import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.resources.RevisionHash;
import io.modelrollout.operator.testing.Fixtures;
import io.modelrollout.operator.testing.Scenario;
import io.modelrollout.operator.testing.ScriptedMetrics;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Autoscaling on the real API server: the operator's HorizontalPodAutoscaler on the stable
 * revision's Deployment, a size the autoscaler chose that the operator keeps, a canary sized from
 * its weight and that size with the autoscaler's scale-down disabled, and the autoscaler moved to
 * the new revision at promotion once it has the stable's size. The HPA controller does not run
 * here: the test scales the Deployment and writes the HPA's status as it would.
 */
class AutoscalingIT {
  Scenario scenario;
  KubernetesClient client;
  String ns;

  @BeforeEach
  void setUp() {
    scenario = Scenario.start("autoscaled", new ScriptedMetrics());
    client = scenario.client;
    ns = scenario.ns;
    client
        .resource(
            Fixtures.canaryPolicy(ns, "canary", 1, CanaryStep.weight(20), CanaryStep.pause(null)))
        .create();
    ModelDeployment md = Fixtures.withPolicy(Fixtures.model(ns, "ranker", "1.0.0", 3), "canary");
    md.getSpec().autoscaling = new AutoscalingSpec();
    md.getSpec().autoscaling.minReplicas = 2;
    md.getSpec().autoscaling.maxReplicas = 20;
    client.resource(md).create();
  }

  @AfterEach
  void tearDown() {
    scenario.close();
  }

  @Test
  void theAutoscalerScalesStableTheCanaryFollowsAndPromotionMovesTheAutoscaler() {
    ModelDeployment v1 = scenario.awaitMd("ranker", m -> m.getStatus().phase == Phase.Healthy);
    String r1 = v1.getStatus().stable.revision;
    HorizontalPodAutoscaler hpa = hpa();
    assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("ranker-" + r1);
    assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
    assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(20);
    assertThat(hpa.getSpec().getMetrics())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getResource().getName()).isEqualTo("cpu");
              assertThat(m.getResource().getTarget().getAverageUtilization()).isEqualTo(80);
            });
    assertThat(hpa.getSpec().getBehavior()).isNull();
    assertThat(deployment(r1).getSpec().getReplicas())
        .as("spec.replicas is the first size")
        .isEqualTo(3);

    // the autoscaler scales stable out to 10; the operator keeps it
    client.apps().deployments().inNamespace(ns).withName("ranker-" + r1).scale(10);
    hpa.setStatus(
        new HorizontalPodAutoscalerStatusBuilder()
            .withCurrentReplicas(10)
            .withDesiredReplicas(10)
            .build());
    client.resource(hpa).updateStatus();
    ModelDeployment scaled =
        scenario.awaitMd(
            "ranker",
            m ->
                m.getStatus().autoscaling != null
                    && Integer.valueOf(10).equals(m.getStatus().autoscaling.currentReplicas)
                    && m.getStatus().stable.readyReplicas == 10);
    assertThat(scaled.getStatus().autoscaling.target).isEqualTo("ranker-" + r1);
    assertThat(deployment(r1).getSpec().getReplicas()).isEqualTo(10);

    scenario.patch("ranker", "{\"spec\":{\"model\":{\"version\":\"2.0.0\"}}}");
    String r2 = RevisionHash.of(scenario.md("ranker").getSpec());
    ModelDeployment paused = scenario.awaitMd("ranker", m -> m.getStatus().phase == Phase.Paused);
    assertThat(paused.getStatus().weights.canary).isEqualTo(20);
    assertThat(deployment(r2).getSpec().getReplicas()).as("20% of 10").isEqualTo(2);
    assertThat(deployment(r1).getSpec().getReplicas()).as("stable keeps its size").isEqualTo(10);
    assertThat(hpa().getSpec().getBehavior().getScaleDown().getSelectPolicy())
        .as("no scale-down while the canary runs")
        .isEqualTo("Disabled");
    assertThat(paused.getStatus().autoscaling.scaleDownDisabled).isTrue();
    assertThat(scenario.events("AutoscalerRetargeted")).as("still on stable").isEmpty();

    // the autoscaler scales stable out further: the canary follows
    client.apps().deployments().inNamespace(ns).withName("ranker-" + r1).scale(15);
    await().atMost(Duration.ofSeconds(20)).until(() -> deployment(r2).getSpec().getReplicas() == 3);
    assertThat(deployment(r1).getSpec().getReplicas()).isEqualTo(15);

    scenario.patch(
        "ranker", "{\"metadata\":{\"annotations\":{\"modelrollout.io/action\":\"promote\"}}}");
    ModelDeployment done =
        scenario.awaitMd(
            "ranker",
            m -> m.getStatus().canary == null && "2.0.0".equals(m.getStatus().stable.version));
    assertThat(deployment(r2).getSpec().getReplicas()).isEqualTo(15);
    assertThat(hpa().getSpec().getScaleTargetRef().getName()).isEqualTo("ranker-" + r2);
    var behavior = hpa().getSpec().getBehavior();
    assertThat(behavior == null ? null : behavior.getScaleDown().getSelectPolicy())
        .as("scale-down allowed again (the API server may have defaulted the rest)")
        .isNotEqualTo("Disabled");
    assertThat(done.getStatus().autoscaling.target).isEqualTo("ranker-" + r2);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> !scenario.events("AutoscalerRetargeted").isEmpty());
    assertThat(scenario.events("AutoscalerRetargeted"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getType()).isEqualTo("Normal");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "HorizontalPodAutoscaler ranker now scales Deployment ranker-"
                          + r2
                          + " (was ranker-"
                          + r1
                          + ")");
            });
    assertThat(done.getStatus().autoscaling.scaleDownDisabled).isNull();
    await().atMost(Duration.ofSeconds(20)).until(() -> deployment(r1) == null);

    // autoscaling removed: the autoscaler goes, spec.replicas sizes stable again
    scenario.patch("ranker", "{\"spec\":{\"autoscaling\":null,\"replicas\":4}}");
    await().atMost(Duration.ofSeconds(20)).until(() -> hpa() == null);
    await().atMost(Duration.ofSeconds(20)).until(() -> deployment(r2).getSpec().getReplicas() == 4);
  }

  private HorizontalPodAutoscaler hpa() {
    return client
        .autoscaling()
        .v2()
        .horizontalPodAutoscalers()
        .inNamespace(ns)
        .withName("ranker")
        .get();
  }

  private Deployment deployment(String revision) {
    return client.apps().deployments().inNamespace(ns).withName("ranker-" + revision).get();
  }
}
