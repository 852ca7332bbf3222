package io.modelrollout.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
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
 * A revision's readiness comes from its ReplicaSets as soon as they count a pod ready, before the
 * Deployment's status does (the Deployment controller is a queue further away); ReplicaSets the
 * Deployment does not control count for nothing.
 */
class ReplicaSetReadinessIT {
  Scenario scenario;
  KubernetesClient client;
  String ns;

  @BeforeEach
  void setUp() {
    scenario = Scenario.start("rsready", new ScriptedMetrics());
    client = scenario.client;
    ns = scenario.ns;
  }

  @AfterEach
  void tearDown() {
    scenario.close();
  }

  @Test
  void aRevisionIsReadyWhenItsReplicaSetSaysSoWhileItsDeploymentStatusLags() throws Exception {
    ModelDeployment md = Fixtures.model(ns, "fraud", "1.0.0", 2);
    String revision = RevisionHash.of(md.getSpec());
    scenario.pods.hold(revision); // the Deployment's status keeps saying 0 ready
    client.resource(md).create();
    Deployment d =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    client.apps().deployments().inNamespace(ns).withName("fraud-" + revision).get(),
                x -> x != null);

    // a ReplicaSet of the same labels that this Deployment does not control (a deleted
    // namesake's, left for the garbage collector): all its pods ready, and still not counted
    ReplicaSet stranger = replicaSet(d, "fraud-stranger", "not-the-deployments-uid");
    ready(stranger, 2);
    ReplicaSet own = replicaSet(d, "fraud-own", d.getMetadata().getUid());
    ready(own, 1);
    ModelDeployment partly =
        scenario.awaitMd(
            "fraud",
            m ->
                m.getStatus().stable != null
                    && Integer.valueOf(1).equals(m.getStatus().stable.readyReplicas));
    assertThat(partly.getStatus().phase).isNotEqualTo(Phase.Healthy);

    ready(own, 2);
    ModelDeployment healthy = scenario.awaitMd("fraud", m -> m.getStatus().phase == Phase.Healthy);
    assertThat(healthy.getStatus().stable.readyReplicas).isEqualTo(2);
    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace(ns)
                .withName("fraud-" + revision)
                .get()
                .getStatus()
                .getReadyReplicas())
        .as("the Deployment's own status never said so")
        .isIn(null, 0);
  }

  private ReplicaSet replicaSet(Deployment d, String name, String ownerUid) {
    var template = d.getSpec().getTemplate();
    return client
        .resource(
            new ReplicaSetBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .withLabels(template.getMetadata().getLabels())
                .addNewOwnerReference()
                .withApiVersion("apps/v1")
                .withKind("Deployment")
                .withName(d.getMetadata().getName())
                .withUid(ownerUid)
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .withNewSpec()
                .withReplicas(2)
                .withSelector(d.getSpec().getSelector())
                .withTemplate(template)
                .endSpec()
                .build())
        .create();
  }

  private void ready(ReplicaSet rs, int ready) {
    ReplicaSet live = client.resource(rs).get();
    live.setStatus(
        new ReplicaSetStatusBuilder()
            .withReplicas(2)
            .withReadyReplicas(ready)
            .withObservedGeneration(live.getMetadata().getGeneration())
            .build());
    client.resource(live).updateStatus();
  }
}
