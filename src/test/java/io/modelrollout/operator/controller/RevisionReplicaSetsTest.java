package io.modelrollout.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.modelrollout.operator.resources.Labels;
import io.modelrollout.operator.rollout.LiveRevision;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RevisionReplicaSetsTest {
  static Deployment deployment(String rev, String uid, int replicas, Integer ready) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("m-" + rev)
        .withUid(uid)
        .withLabels(Map.of(Labels.REVISION, rev, Labels.VERSION, "1.0.0"))
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .endSpec()
        .withNewStatus()
        .withReadyReplicas(ready)
        .endStatus()
        .build();
  }

  static ReplicaSet replicaSet(String ownerUid, Integer ready) {
    return replicaSet(ownerUid, ready, 1L);
  }

  static ReplicaSet replicaSet(String ownerUid, Integer ready, Long observed) {
    return new ReplicaSetBuilder()
        .withNewMetadata()
        .withName("rs-" + ownerUid)
        .withGeneration(1L)
        .withNamespace("ns")
        .withLabels(Map.of(Labels.NAME, "m", Labels.REVISION, "a"))
        .addNewOwnerReference()
        .withUid(ownerUid)
        .withController(true)
        .withKind("Deployment")
        .withName("m-a")
        .withApiVersion("apps/v1")
        .endOwnerReference()
        .endMetadata()
        .withNewSpec()
        .withReplicas(1)
        .endSpec()
        .withNewStatus()
        .withReadyReplicas(ready)
        .withObservedGeneration(observed)
        .endStatus()
        .build();
  }

  @Test
  void aRevisionIsAsReadyAsItsReplicaSetsSayBeforeItsDeploymentDoes() {
    var deployments = Map.of("a", deployment("a", "uid-a", 2, null));
    var ready =
        RevisionReplicaSets.readyByRevision(
            deployments, List.of(replicaSet("uid-a", 1), replicaSet("uid-a", 1)));

    assertThat(ready).containsEntry("a", 2);
    LiveRevision live = WorldReader.live(deployments, ready).get("a");
    assertThat(live.readyReplicas()).isEqualTo(2);
  }

  @Test
  void replicaSetsOfAnotherObjectOfTheSameNameCountForNothing() {
    var deployments = Map.of("a", deployment("a", "uid-new", 1, 0));
    var ready = RevisionReplicaSets.readyByRevision(deployments, List.of(replicaSet("uid-old", 1)));

    assertThat(ready).as("none of its own: the Deployment's status stands").doesNotContainKey("a");
    assertThat(WorldReader.live(deployments, ready).get("a").readyReplicas()).isZero();
  }

  @Test
  void aDropShowsAtOnceAndNeverAboveTheDeploymentsSize() {
    // the Deployment still says ready while its ReplicaSet already lost the pod
    var deployments = Map.of("a", deployment("a", "uid-a", 1, 1));
    var ready = RevisionReplicaSets.readyByRevision(deployments, List.of(replicaSet("uid-a", 0)));
    assertThat(WorldReader.live(deployments, ready).get("a").readyReplicas()).isZero();
    // scaled down from 3: pods above spec.replicas are on their way out
    assertThat(WorldReader.live(deployments, Map.of("a", 3)).get("a").readyReplicas()).isEqualTo(1);
    // no ReplicaSet in the cache yet
    assertThat(WorldReader.live(deployments, Map.of()).get("a").readyReplicas()).isEqualTo(1);
  }

  @Test
  void aReplicaSetWhoseStatusIsOlderThanItsSpecLeavesTheDeploymentsStatus() {
    var deployments = Map.of("a", deployment("a", "uid-a", 2, 1));
    var ready =
        RevisionReplicaSets.readyByRevision(
            deployments, List.of(replicaSet("uid-a", 2), replicaSet("uid-a", 0, 0L)));

    assertThat(ready).doesNotContainKey("a");
    assertThat(WorldReader.live(deployments, ready).get("a").readyReplicas()).isEqualTo(1);
  }

  @Test
  void onlyAReadyCountThatChangedWakesAReconcileAndTheCacheKeepsNoTemplate() {
    ReplicaSet rs = replicaSet("uid-a", 1);
    assertThat(RevisionReplicaSets.ready(rs)).isEqualTo(1);
    assertThat(RevisionReplicaSets.ready(replicaSet("uid-a", null))).isZero();
    assertThat(RevisionReplicaSets.owner(rs)).containsExactly(new ResourceID("m", "ns"));
    assertThat(RevisionReplicaSets.readyChanged(rs, replicaSet("uid-a", 0))).isTrue();
    assertThat(RevisionReplicaSets.readyChanged(rs, replicaSet("uid-a", 1))).isFalse();
    assertThat(RevisionReplicaSets.readyChanged(replicaSet("uid-a", 0), replicaSet("uid-a", null)))
        .isFalse();

    RevisionReplicaSets.trim(rs);
    assertThat(rs.getSpec()).isNull();
    assertThat(RevisionReplicaSets.ready(rs)).isEqualTo(1);
    assertThat(rs.getMetadata().getOwnerReferences()).hasSize(1);
    assertThat(rs.getMetadata().getAnnotations())
        .as("the SDK's event source reads an annotation of every object it is told about")
        .isNotNull()
        .isEmpty();
  }
}
