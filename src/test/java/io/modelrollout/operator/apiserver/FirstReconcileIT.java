package io.modelrollout.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelrollout.operator.api.Condition;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.RevisionServices;
import io.modelrollout.operator.api.ServiceSpec;
import io.modelrollout.operator.resources.RevisionHash;
import io.modelrollout.operator.status.Conditions;
import io.modelrollout.operator.testing.FakeDeploymentController;
import io.modelrollout.operator.testing.Fixtures;
import io.modelrollout.operator.testing.OperatorHarness;
import io.modelrollout.operator.testing.Scenario;
import io.modelrollout.operator.testing.ScriptedMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A new ModelDeployment becomes one Deployment and its Services (three when asked for), and its
 * status follows readiness.
 */
class FirstReconcileIT {
  Scenario scenario;
  KubernetesClient client;
  String ns;
  OperatorHarness operator;
  FakeDeploymentController pods;

  @BeforeEach
  void setUp() {
    scenario = Scenario.start("first", new ScriptedMetrics());
    client = scenario.client;
    ns = scenario.ns;
    pods = scenario.pods;
    operator = scenario.operator;
  }

  @AfterEach
  void tearDown() {
    scenario.close();
  }

  /**
   * With ReplicaRatio nothing reads {@code -stable} or {@code -canary}: by default only the entry
   * Service exists (one ClusterIP), ours that are no longer in use go, and a user's Service of the
   * same name is left alone.
   */
  @Test
  void withoutARouteOnlyTheEntryServiceIsKeptUnlessAskedFor() {
    ModelDeployment md = Fixtures.model(ns, "fraud", "1.0.0", 1);
    md.getSpec().service = new ServiceSpec();
    md.getSpec().service.revisionServices = RevisionServices.Always;
    client.resource(md).create();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> serviceNames(), n -> n.equals(List.of("fraud", "fraud-canary", "fraud-stable")));
    // a user's own Service named like a per-revision one of another ModelDeployment
    client
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName("other-stable")
                .withNamespace(ns)
                .endMetadata()
                .withNewSpec()
                .addNewPort()
                .withPort(80)
                .endPort()
                .endSpec()
                .build())
        .create();
    client.resource(Fixtures.model(ns, "other", "1.0.0", 1)).create();
    scenario.patch("fraud", "{\"spec\":{\"service\":{\"revisionServices\":\"Auto\"}}}");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> serviceNames(), n -> n.equals(List.of("fraud", "other", "other-stable")));
    assertThat(awaitStatus("other", s -> s.getStatus().phase == Phase.Healthy)).isNotNull();
    assertThat(client.services().inNamespace(ns).withName("other-stable").get().getMetadata())
        .as("not ours: untouched")
        .satisfies(m -> assertThat(m.getOwnerReferences()).isEmpty());
  }

  private List<String> serviceNames() {
    return client.services().inNamespace(ns).list().getItems().stream()
        .map(s -> s.getMetadata().getName())
        .sorted()
        .toList();
  }

  @Test
  void createsTheRevisionDeploymentAndServicesWithServerSideApply() {
    ModelDeployment md = Fixtures.model(ns, "fraud", "2.3.0", 3);
    md.getSpec().service = new ServiceSpec();
    md.getSpec().service.revisionServices = RevisionServices.Always;
    String revision = RevisionHash.of(md.getSpec());
    pods.hold(revision);
    client.resource(md).create();

    Deployment d =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    client.apps().deployments().inNamespace(ns).withName("fraud-" + revision).get(),
                x -> x != null);
    assertThat(d.getSpec().getReplicas()).isEqualTo(3);
    assertThat(d.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/name", "fraud")
        .containsEntry("modelrollout.io/model", "fraud-detector")
        .containsEntry("modelrollout.io/revision", revision)
        .containsEntry("modelrollout.io/version", "2.3.0");
    assertThat(d.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getKind()).isEqualTo("ModelDeployment");
              assertThat(o.getName()).isEqualTo("fraud");
              assertThat(o.getController()).isTrue();
            });
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("team", "risk")
        .containsEntry("modelrollout.io/revision", revision);
    Map<String, String> env =
        d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
            .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    assertThat(env)
        .containsEntry("MODEL_NAME", "fraud-detector")
        .containsEntry("MODEL_VERSION", "2.3.0")
        .containsEntry("MODEL_URI", "s3://models/fraud/2.3.0");
    assertThat(applyManagers(d.getMetadata().getManagedFields()))
        .contains("model-rollout-operator");

    List<Service> services =
        await()
            .until(() -> client.services().inNamespace(ns).list().getItems(), l -> l.size() == 3);
    assertThat(services)
        .extracting(s -> s.getMetadata().getName())
        .containsExactlyInAnyOrder("fraud", "fraud-stable", "fraud-canary");
    for (Service s : services) {
      assertThat(s.getSpec().getSelector()).containsEntry("modelrollout.io/revision", revision);
      assertThat(s.getSpec().getPorts().get(0).getPort()).isEqualTo(80);
      assertThat(s.getSpec().getPorts().get(0).getTargetPort().getStrVal()).isEqualTo("http");
      assertThat(s.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(o -> assertThat(o.getName()).isEqualTo("fraud"));
      assertThat(applyManagers(s.getMetadata().getManagedFields()))
          .contains("model-rollout-operator");
    }

    ModelDeployment initializing =
        awaitStatus(
            "fraud", s -> s.getStatus() != null && s.getStatus().phase == Phase.Initializing);
    assertThat(initializing.getStatus().observedGeneration).isEqualTo(1L);
    assertThat(initializing.getStatus().stable.version).isEqualTo("2.3.0");
    assertThat(initializing.getStatus().stable.revision).isEqualTo(revision);
    Condition readyBefore = Conditions.find(initializing.getStatus().conditions, Condition.READY);
    Condition degradedBefore =
        Conditions.find(initializing.getStatus().conditions, Condition.DEGRADED);
    assertThat(readyBefore.status).isEqualTo("False");
    assertThat(readyBefore.observedGeneration).isEqualTo(1L);

    pods.release(revision);
    ModelDeployment healthy = awaitStatus("fraud", s -> s.getStatus().phase == Phase.Healthy);
    Condition ready = Conditions.find(healthy.getStatus().conditions, Condition.READY);
    assertThat(ready.status).isEqualTo("True");
    assertThat(ready.message).isEqualTo("version 2.3.0 is serving: 3/3 pods ready");
    assertThat(
            Conditions.find(healthy.getStatus().conditions, Condition.DEGRADED).lastTransitionTime)
        .as("a condition that did not change keeps its lastTransitionTime")
        .isEqualTo(degradedBefore.lastTransitionTime);
    assertThat(healthy.getStatus().stable.readyReplicas).isEqualTo(3);
    assertThat(healthy.getStatus().replicas).isEqualTo(3);
    assertThat(healthy.getStatus().selector)
        .isEqualTo("app.kubernetes.io/name=fraud,modelrollout.io/revision=" + revision);
  }

  @Test
  void theOperatorNeverWritesTheSpecAndTheScaleSubresourceWorks() {
    client.resource(Fixtures.model(ns, "scaled", "1.0.0", 2)).create();
    awaitStatus("scaled", s -> s.getStatus() != null && s.getStatus().phase == Phase.Healthy);
    client.resources(ModelDeployment.class).inNamespace(ns).withName("scaled").scale(4);
    ModelDeployment md = awaitStatus("scaled", s -> s.getStatus().replicas == 4);
    assertThat(md.getStatus().observedGeneration).isEqualTo(2L);
    for (ManagedFieldsEntry e : md.getMetadata().getManagedFields()) {
      if (e.getManager().startsWith("model-rollout-operator")) {
        assertThat(e.getSubresource()).as("the operator writes only status").isEqualTo("status");
      }
    }
  }

  private ModelDeployment awaitStatus(String name, Predicate<ModelDeployment> p) {
    return scenario.awaitMd(name, p);
  }

  static List<String> applyManagers(List<ManagedFieldsEntry> entries) {
    return entries.stream()
        .filter(e -> "Apply".equals(e.getOperation()))
        .map(ManagedFieldsEntry::getManager)
        .toList();
  }
}
