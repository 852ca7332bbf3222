package io.modelrollout.operator.testing;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for the Deployment controller and kubelets of a real cluster: every Deployment in a
 * namespace gets a status with its pods ready, at once by default; pods of a revision {@link
 * #delay}ed become ready one at a time, and pods of a revision {@link #hold held} never do. A
 * scale-down takes ready pods away at once, as terminating pods leave the endpoints.
 */
public class FakeDeploymentController implements AutoCloseable {
  private static final String REVISION = "modelrollout.io/revision";
  private final KubernetesClient client;
  private final SharedIndexInformer<Deployment> informer;
  private final Set<String> held = ConcurrentHashMap.newKeySet();
  private final Map<String, Duration> delays = new ConcurrentHashMap<>();
  private final Map<String, Integer> ready = new ConcurrentHashMap<>(); // by Deployment name
  private final Map<String, Long> lastReadyAt = new ConcurrentHashMap<>();
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();

  public FakeDeploymentController(KubernetesClient client, String namespace) {
    this.client = client;
    this.informer = client.apps().deployments().inNamespace(namespace).inform(new Handler(), 0);
    ticker.scheduleWithFixedDelay(this::syncAll, 100, 100, TimeUnit.MILLISECONDS);
  }

  /** Keeps the pods of a revision (label modelrollout.io/revision) unready. */
  public void hold(String revision) {
    held.add(revision);
    syncAll();
  }

  public void release(String revision) {
    held.remove(revision);
    syncAll();
  }

  /** Pods of {@code revision} become ready one at a time, {@code perPod} apart. */
  public void delay(String revision, Duration perPod) {
    delays.put(revision, perPod);
  }

  /** Every revision's pods become ready one at a time, {@code perPod} apart. */
  public void delayAll(Duration perPod) {
    delays.put("*", perPod);
  }

  private void syncAll() {
    try {
      informer.getStore().list().forEach(this::sync);
    } catch (RuntimeException e) {
      // the next tick tries again
    }
  }

  private synchronized void sync(Deployment d) {
    String name = d.getMetadata().getName();
    int want = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    String rev =
        d.getMetadata().getLabels() == null ? null : d.getMetadata().getLabels().get(REVISION);
    int now = Math.min(ready.getOrDefault(name, 0), want);
    Duration delay = rev == null ? null : delays.getOrDefault(rev, delays.get("*"));
    long clock = System.nanoTime();
    lastReadyAt.putIfAbsent(name, clock); // a new Deployment's first pod waits a full delay
    if (rev != null && held.contains(rev)) {
      now = 0;
    } else if (delay == null) {
      now = want;
    } else if (now < want && clock - lastReadyAt.getOrDefault(name, 0L) >= delay.toNanos()) {
      now++;
      lastReadyAt.put(name, clock);
    } else if (now >= want) {
      lastReadyAt.put(name, clock); // the next pod waits a full delay after a scale-up
    }
    ready.put(name, now);
    var s = d.getStatus();
    if (s != null
        && Objects.equals(s.getObservedGeneration(), d.getMetadata().getGeneration())
        && Objects.equals(s.getReadyReplicas(), now)
        && Objects.equals(s.getReplicas(), want)) {
      return;
    }
    Deployment copy = client.getKubernetesSerialization().clone(d);
    copy.setStatus(
        new DeploymentStatusBuilder()
            .withObservedGeneration(d.getMetadata().getGeneration())
            .withReplicas(want)
            .withUpdatedReplicas(want)
            .withReadyReplicas(now)
            .withAvailableReplicas(now)
            .withUnavailableReplicas(want - now)
            .withConditions(
                new DeploymentConditionBuilder()
                    .withType("Available")
                    .withStatus(now >= want ? "True" : "False")
                    .withReason(
                        now >= want ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable")
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
    ticker.shutdownNow();
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
    public void onDelete(Deployment d, boolean unknown) {
      ready.remove(d.getMetadata().getName());
    }
  }
}
