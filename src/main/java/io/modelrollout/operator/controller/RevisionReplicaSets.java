package io.modelrollout.operator.controller;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.resources.Labels;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ReplicaSets of the revisions' Deployments, kept only as owner and ready count: a pod's
 * readiness is in its ReplicaSet's status within tens of milliseconds, while the Deployment
 * controller, a queue further, can take seconds to copy it into the Deployment's status when it has
 * hundreds of Deployments to sync (docs/benchmarks/2026-11-30-replicasets.md). With ReplicaRatio
 * (no route: the entry Service's endpoints follow pod readiness by themselves) a revision is as
 * ready as its ReplicaSets say, up or down. A route keeps the Deployment's status, as before: its
 * weight should follow the revision Service's EndpointSlices, which come from yet another
 * controller and which the sooner count would outrun. Only a change of the ready count wakes a
 * reconcile.
 */
final class RevisionReplicaSets {
  /** The ReplicaSets of the operator's Deployments: their pod template's labels are theirs. */
  static final String SELECTOR = Labels.MANAGED_BY + "=" + Labels.OPERATOR + "," + Labels.REVISION;

  private RevisionReplicaSets() {}

  static EventSource<ReplicaSet, ModelDeployment> create(
      EventSourceContext<ModelDeployment> context, boolean lean) {
    var config =
        InformerEventSourceConfiguration.from(ReplicaSet.class, ModelDeployment.class)
            .withLabelSelector(SELECTOR)
            .withNamespacesInheritedFromController()
            .withSecondaryToPrimaryMapper(RevisionReplicaSets::owner)
            .withOnAddFilter(rs -> ready(rs) > 0)
            .withOnUpdateFilter(RevisionReplicaSets::readyChanged)
            .withOnDeleteFilter((rs, unknownState) -> false);
    if (lean) {
      config.withItemStore(new LeanItemStore<>(RevisionReplicaSets::trim));
    }
    return new InformerEventSource<>(config.build(), context);
  }

  /** The ModelDeployment a ReplicaSet's pods belong to, by the name label of its pod template. */
  static Set<ResourceID> owner(ReplicaSet rs) {
    Map<String, String> labels = rs.getMetadata().getLabels();
    String name = labels == null ? null : labels.get(Labels.NAME);
    return name == null ? Set.of() : Set.of(new ResourceID(name, rs.getMetadata().getNamespace()));
  }

  /**
   * What the cache keeps: name, labels, owners and status; not the pod template nor the
   * annotations. The annotations stay an (empty) map: the SDK's event source reads one on every
   * event, and a null there made it drop each ReplicaSet event with a NullPointerException.
   */
  static void trim(ReplicaSet rs) {
    rs.setSpec(null);
    rs.getMetadata().setAnnotations(java.util.Collections.emptyMap());
  }

  /** Whether an update wakes the ModelDeployment: only when the ready count changed. */
  static boolean readyChanged(ReplicaSet now, ReplicaSet before) {
    return ready(now) != ready(before);
  }

  static int ready(ReplicaSet rs) {
    var st = rs == null ? null : rs.getStatus();
    return st == null || st.getReadyReplicas() == null ? 0 : st.getReadyReplicas();
  }

  /**
   * Ready pods of each revision as its Deployment's ReplicaSets count them: only ReplicaSets the
   * Deployment (this very object, by uid) controls, so those of a deleted namesake left for the
   * garbage collector count for nothing. A revision has no entry while it has no such ReplicaSet
   * cached, or while one's status is older than its spec (a scale not yet observed): its
   * Deployment's status stands then.
   */
  static Map<String, Integer> readyByRevision(
      Map<String, Deployment> deployments, Collection<ReplicaSet> replicaSets) {
    Map<String, Integer> out = new LinkedHashMap<>();
    deployments.forEach(
        (rev, d) -> {
          String uid = d.getMetadata().getUid();
          int sum = 0;
          int controlled = 0;
          boolean observed = true;
          for (ReplicaSet rs : replicaSets) {
            if (uid != null && controlledBy(rs, uid)) {
              controlled++;
              sum += ready(rs);
              observed &= observed(rs);
            }
          }
          if (controlled > 0 && observed) {
            out.put(rev, sum);
          }
        });
    return Map.copyOf(out);
  }

  private static boolean observed(ReplicaSet rs) {
    Long generation = rs.getMetadata().getGeneration();
    Long seen = rs.getStatus() == null ? null : rs.getStatus().getObservedGeneration();
    return generation == null || (seen != null && seen >= generation);
  }

  private static boolean controlledBy(ReplicaSet rs, String uid) {
    List<OwnerReference> owners = rs.getMetadata().getOwnerReferences();
    if (owners == null) {
      return false;
    }
    for (OwnerReference o : owners) {
      if (uid.equals(o.getUid()) && Boolean.TRUE.equals(o.getController())) {
        return true;
      }
    }
    return false;
  }

  /**
   * The cached ReplicaSets of one ModelDeployment, from the informer's index by owner (a scan of
   * the namespace's ReplicaSets per reconcile cost the resync of 2000 ModelDeployments in one
   * namespace 4% of a core).
   */
  static Set<ReplicaSet> of(Context<ModelDeployment> ctx) {
    return ctx.getSecondaryResources(ReplicaSet.class);
  }
}
