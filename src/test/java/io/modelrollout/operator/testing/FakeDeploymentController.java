package io.modelrollout.operator.testing;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands in for the Deployment controller and kubelets of a real cluster: every Deployment in a
 * namespace gets a status with all its pods ready, except revisions held back with {@link #hold}.
 */
public class FakeDeploymentController implements AutoCloseable {
  private final KubernetesClient client;
  private final SharedIndexInformer<Deployment> informer;
  private final Set<String> held = ConcurrentHashMap.newKeySet();

  public FakeDeploymentController(KubernetesClient client, String namespace) {
    this.client = client;
    this.informer = client.apps().deployments().inNamespace(namespace).inform(new Handler(), 0);
  }

  /** Keeps the pods of a revision (label modelrollout.io/revision) unready. */
  public void hold(String revision) {
    held.add(revision);
    informer.getStore().list().forEach(this::sync);
  }

  public void release(String revision) {
    held.remove(revision);
    informer.getStore().list().forEach(this::sync);
  }

  private void sync(Deployment d) {
    int want = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    String rev =
        d.getMetadata().getLabels() == null
            ? null
            : d.getMetadata().getLabels().get("modelrollout.io/revision");
    int ready = rev != null && held.contains(rev) ? 0 : want;
    var s = d.getStatus();
    if (s != null
        && Objects.equals(s.getObservedGeneration(), d.getMetadata().getGeneration())
        && Objects.equals(s.getReadyReplicas(), ready)
        && Objects.equals(s.getReplicas(), want)) {
      return;
    }
    Deployment copy = client.getKubernetesSerialization().clone(d);
    copy.setStatus(
        new DeploymentStatusBuilder()
            .withObservedGeneration(d.getMetadata().getGeneration())
            .withReplicas(want)
            .withUpdatedReplicas(want)
            .withReadyReplicas(ready)
            .withAvailableReplicas(ready)
            .withUnavailableReplicas(want - ready)
            .withConditions(
                new DeploymentConditionBuilder()
                    .withType("Available")
                    .withStatus(ready >= want ? "True" : "False")
                    .withReason(
                        ready >= want ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable")
                    .build())
            .build());
    try {
      client.resource(copy).updateStatus();
    } catch (KubernetesClientException e) {
      // a newer version arrives through the informer and is synced then
    }
  }

  @Override
  public void close() {
    informer.close();
  }

  private final class Handler implements ResourceEventHandler<Deployment> {
    @Override
    public void onAdd(Deployment d) {
      sync(d);
    }

    @Override
    public void onUpdate(Deployment oldD, Deployment d) {
      sync(d);
    }

    @Override
    public void onDelete(Deployment d, boolean unknown) {}
  }
}
