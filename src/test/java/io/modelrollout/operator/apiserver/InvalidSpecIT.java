package io.modelrollout.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.Condition;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.RolloutSpec;
import io.modelrollout.operator.status.Conditions;
import io.modelrollout.operator.testing.FakeDeploymentController;
import io.modelrollout.operator.testing.Fixtures;
import io.modelrollout.operator.testing.OperatorHarness;
import io.modelrollout.operator.testing.Scenario;
import io.modelrollout.operator.testing.ScriptedMetrics;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A spec the schema cannot reject gets InvalidSpec and a Warning; what runs keeps running. */
class InvalidSpecIT {
  Scenario scenario;
  KubernetesClient client;
  String ns;
  OperatorHarness operator;
  FakeDeploymentController pods;

  @BeforeEach
  void setUp() {
    scenario = Scenario.start("invalid", new ScriptedMetrics());
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
  void aMissingPolicyKeepsTheRunningVersionUntilThePolicyAppears() {
    client.resource(Fixtures.model(ns, "fraud", "1.0.0", 2)).create();
    ModelDeployment healthy =
        await().atMost(Duration.ofSeconds(30)).until(this::get, m -> phase(m) == Phase.Healthy);
    Deployment before = onlyDeployment();

    Fixtures.patch(
        client,
        ns,
        "fraud",
        "{\"spec\":{\"model\":{\"version\":\"2.0.0\"},\"rollout\":{\"policyRef\":{\"name\":\"safe-canary\"}}}}");
    ModelDeployment invalid =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                this::get,
                m -> Conditions.isTrue(m.getStatus().conditions, Condition.INVALID_SPEC));
    Condition c = Conditions.find(invalid.getStatus().conditions, Condition.INVALID_SPEC);
    assertThat(c.reason).isEqualTo("InvalidSpec");
    assertThat(c.message)
        .isEqualTo("RolloutPolicy 'safe-canary' not found in namespace '" + ns + "'");
    assertThat(c.observedGeneration).isEqualTo(2L);
    assertThat(invalid.getStatus().phase).isEqualTo(Phase.Degraded);
    Condition degraded = Conditions.find(invalid.getStatus().conditions, Condition.DEGRADED);
    assertThat(degraded.status).as("the phase and its condition agree").isEqualTo("True");
    assertThat(degraded.reason).isEqualTo("InvalidSpec");
    assertThat(invalid.getStatus().message).contains("version 1.0.0 keeps serving");
    assertThat(invalid.getStatus().stable.version).isEqualTo("1.0.0");
    assertThat(invalid.getStatus().canary).isNull();

    await().atMost(Duration.ofSeconds(10)).until(() -> warnings("InvalidSpec").size() == 1);
    await("the Warning is emitted once, not per reconcile")
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(4))
        .until(() -> warnings("InvalidSpec").size() == 1);
    Deployment after = onlyDeployment();
    assertThat(after.getMetadata().getName()).isEqualTo(before.getMetadata().getName());
    assertThat(after.getMetadata().getResourceVersion())
        .isEqualTo(before.getMetadata().getResourceVersion());
    assertThat(client.services().inNamespace(ns).withName("fraud").get().getSpec().getSelector())
        .containsEntry("modelrollout.io/revision", healthy.getStatus().stable.revision);

    client
        .resource(
            Fixtures.canaryPolicy(
                ns, "safe-canary", 1, CanaryStep.weight(50), CanaryStep.pause("1s")))
        .create();
    ModelDeployment done =
        await()
            .atMost(Duration.ofSeconds(40))
            .until(
                this::get,
                m -> phase(m) == Phase.Healthy && "2.0.0".equals(m.getStatus().stable.version));
    assertThat(Conditions.find(done.getStatus().conditions, Condition.INVALID_SPEC).status)
        .isEqualTo("False");
    assertThat(Conditions.find(done.getStatus().conditions, Condition.DEGRADED).status)
        .isEqualTo("False");
  }

  @Test
  void anInlinePolicyIsUsedLikeAReferencedOne() {
    ModelDeployment md = Fixtures.model(ns, "inline", "1.0.0", 1);
    md.getSpec().rollout = new RolloutSpec();
    md.getSpec().rollout.policy = Fixtures.canarySpec(1, CanaryStep.weight(100));
    client.resource(md).create();
    await().atMost(Duration.ofSeconds(30)).until(this::getInline, m -> phase(m) == Phase.Healthy);
  }

  @Test
  void aShadowOnReplicaRatioIsInvalidAndNothingStarts() {
    client.resource(Fixtures.model(ns, "fraud", "1.0.0", 2)).create();
    await().atMost(Duration.ofSeconds(30)).until(this::get, m -> phase(m) == Phase.Healthy);
    Deployment before = onlyDeployment();
    client
        .resources(ModelDeployment.class)
        .inNamespace(ns)
        .withName("fraud")
        .edit(
            md -> {
              md.getSpec().model.version = "2.0.0";
              md.getSpec().rollout = new RolloutSpec();
              md.getSpec().rollout.policy =
                  io.modelrollout.operator.testing.StrategyFixtures.shadow(
                      20, "1m", io.modelrollout.operator.api.ShadowSpec.FollowUp.Direct, 0.1);
              return md;
            });
    ModelDeployment invalid =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                this::get,
                m -> Conditions.isTrue(m.getStatus().conditions, Condition.INVALID_SPEC));
    assertThat(Conditions.find(invalid.getStatus().conditions, Condition.INVALID_SPEC).message)
        .contains("needs traffic.provider GatewayAPI or Istio; ReplicaRatio can only split");
    assertThat(invalid.getStatus().canary).as("no shadow pod").isNull();
    await().atMost(Duration.ofSeconds(10)).until(() -> warnings("InvalidSpec").size() == 1);
    assertThat(onlyDeployment().getMetadata().getResourceVersion())
        .isEqualTo(before.getMetadata().getResourceVersion());
  }

  private ModelDeployment get() {
    return scenario.md("fraud");
  }

  private ModelDeployment getInline() {
    return scenario.md("inline");
  }

  private static Phase phase(ModelDeployment m) {
    return m == null || m.getStatus() == null ? null : m.getStatus().phase;
  }

  private Deployment onlyDeployment() {
    List<Deployment> all = client.apps().deployments().inNamespace(ns).list().getItems();
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  private List<Event> warnings(String reason) {
    scenario.operator.flushEvents();
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> "Warning".equals(e.getType()) && reason.equals(e.getReason()))
        .toList();
  }
}
