package io.modelrollout.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelrollout.operator.api.BlueGreenSpec;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.RolloutPolicy;
import io.modelrollout.operator.api.RolloutPolicySpec;
import io.modelrollout.operator.api.RolloutStrategy;
import io.modelrollout.operator.resources.RevisionHash;
import io.modelrollout.operator.testing.FakeDeploymentController;
import io.modelrollout.operator.testing.Fixtures;
import io.modelrollout.operator.testing.OperatorHarness;
import io.modelrollout.operator.testing.Scenario;
import io.modelrollout.operator.testing.ScriptedMetrics;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Blue-green on the real API server: the preview Service selects the new revision while live
 * traffic stays on the old one; after a promote action the entry Service switches at once.
 */
class BlueGreenRolloutIT {
  Scenario scenario;
  KubernetesClient client;
  String ns;
  OperatorHarness operator;
  FakeDeploymentController pods;
  ScriptedMetrics metrics = new ScriptedMetrics();

  @BeforeEach
  void setUp() {
    scenario = Scenario.start("bluegreen", metrics);
    client = scenario.client;
    ns = scenario.ns;
    pods = scenario.pods;
    operator = scenario.operator;
  }

  @AfterEach
  void tearDown() {
    scenario.close();
  }

  @Test
  void previewThenPromoteThenSwitch() {
    RolloutPolicySpec spec = new RolloutPolicySpec();
    spec.strategy = RolloutStrategy.BlueGreen;
    spec.blueGreen = new BlueGreenSpec();
    spec.blueGreen.previewReplicas = 1;
    spec.blueGreen.prePromotionGates = List.of("smoke");
    spec.blueGreen.scaleDownDelay = "1s";
    spec.progressDeadline = "60s";
    spec.gates.add(Fixtures.gate("smoke", "smoke{version=\"{{version}}\"}", 0.5));
    RolloutPolicy policy = new RolloutPolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName("bg").withNamespace(ns).build());
    policy.setSpec(spec);
    client.resource(policy).create();
    client.resource(Fixtures.withPolicy(Fixtures.model(ns, "fraud", "1.0.0", 3), "bg")).create();
    String v1 = awaitMd(m -> m.getStatus().phase == Phase.Healthy).getStatus().stable.revision;
    metrics.answer("smoke{version=\"2.0.0\"}", 0.0);

    Fixtures.patch(client, ns, "fraud", "{\"spec\":{\"model\":{\"version\":\"2.0.0\"}}}");
    String v2 =
        RevisionHash.of(
            client
                .resources(ModelDeployment.class)
                .inNamespace(ns)
                .withName("fraud")
                .get()
                .getSpec());
    ModelDeployment waiting = awaitMd(m -> m.getStatus().phase == Phase.Paused);
    assertThat(waiting.getStatus().currentStep).isEqualTo("pause until promoted");
    assertThat(waiting.getStatus().weights.canary).isZero();
    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace(ns)
                .withName("fraud-" + v2)
                .get()
                .getSpec()
                .getReplicas())
        .isEqualTo(1);
    assertThat(selector("fraud-canary")).as("the preview Service").isEqualTo(v2);
    assertThat(selector("fraud")).as("live traffic stays on blue").isEqualTo(v1);

    Fixtures.patch(
        client,
        ns,
        "fraud",
        "{\"metadata\":{\"annotations\":{\"modelrollout.io/action\":\"promote\"}}}");
    awaitMd(
        m -> "2.0.0".equals(m.getStatus().stable.version) && m.getStatus().phase == Phase.Healthy);
    assertThat(selector("fraud")).isEqualTo(v2);
    assertThat(selector("fraud-canary"))
        .as("no canary: the preview Service selects stable")
        .isEqualTo(v2);
    assertThat(client.services().inNamespace(ns).withName("fraud-stable").get())
        .as("ReplicaRatio: nothing reads a stable Service (revisionServices: Auto)")
        .isNull();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                client.apps().deployments().inNamespace(ns).withName("fraud-" + v1).get() == null);
  }

  private String selector(String service) {
    return client
        .services()
        .inNamespace(ns)
        .withName(service)
        .get()
        .getSpec()
        .getSelector()
        .get("modelrollout.io/revision");
  }

  private ModelDeployment awaitMd(Predicate<ModelDeployment> p) {
    return scenario.awaitMd("fraud", p);
  }
}
