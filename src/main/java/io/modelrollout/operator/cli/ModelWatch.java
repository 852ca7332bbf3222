package io.modelrollout.operator.cli;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.modelrollout.operator.api.ModelDeployment;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One ModelDeployment, and optionally its Events, kept current by watches (informers: a list, then
 * a watch that reconnects by itself); {@link #awaitChange} returns when either changed.
 */
final class ModelWatch implements AutoCloseable {
  private final Semaphore changes = new Semaphore(0);
  private final SharedIndexInformer<ModelDeployment> md;
  private final SharedIndexInformer<Event> events;

  ModelWatch(KubernetesClient c, String ns, String name, boolean withEvents) {
    Handler<ModelDeployment> h1 = new Handler<>();
    try {
      md = c.resources(ModelDeployment.class).inNamespace(ns).withName(name).inform(h1, 0);
    } catch (KubernetesClientException e) {
      throw Kube.translate(e, "watch modeldeployment " + name + " in namespace " + ns);
    }
    SharedIndexInformer<Event> ev = null;
    if (withEvents) {
      try {
        ev =
            c.v1()
                .events()
                .inNamespace(ns)
                .withField("involvedObject.kind", Kube.KIND)
                .withField("involvedObject.name", name)
                .inform(new Handler<>(), 0);
      } catch (KubernetesClientException e) {
        ev = null; // events are a bonus: without permission the view shows none
      }
    }
    events = ev;
  }

  /** The ModelDeployment as last seen, or null when it does not exist (any more). */
  ModelDeployment current() {
    List<ModelDeployment> items = md.getStore().list();
    return items.isEmpty() ? null : items.get(0);
  }

  List<Event> events() {
    return events == null ? List.of() : events.getStore().list();
  }

  /** Waits up to {@code max} (null: forever) for a change; true when one came. */
  boolean awaitChange(Duration max) throws InterruptedException {
    boolean changed =
        max == null
            ? acquire()
            : changes.tryAcquire(Math.max(0, max.toMillis()), TimeUnit.MILLISECONDS);
    if (changed) {
      changes.drainPermits(); // several changes at once are one redraw
    }
    return changed;
  }

  private boolean acquire() throws InterruptedException {
    changes.acquire();
    return true;
  }

  @Override
  public void close() {
    md.close();
    if (events != null) {
      events.close();
    }
  }

  private final class Handler<T> implements ResourceEventHandler<T> {
    @Override
    public void onAdd(T obj) {
      changes.release();
    }

    @Override
    public void onUpdate(T oldObj, T newObj) {
      changes.release();
    }

    @Override
    public void onDelete(T obj, boolean deletedFinalStateUnknown) {
      changes.release();
    }
  }
}
