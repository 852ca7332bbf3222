package io.modelrollout.operator.e2e;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every canary weight the HTTPRoute of a ModelDeployment carried, in order, with its time. */
final class RouteLog implements AutoCloseable {
  /** One weight seen on the route. */
  record Entry(long atMillis, int canary) {}

  private final List<Entry> entries = new CopyOnWriteArrayList<>();
  private final java.util.Set<String> versions = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final SharedIndexInformer<HTTPRoute> informer;

  RouteLog(KubernetesClient client, String namespace, String name) {
    informer =
        client
            .resources(HTTPRoute.class)
            .inNamespace(namespace)
            .withName(name)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(HTTPRoute r) {
                    record(r);
                  }

                  @Override
                  public void onUpdate(HTTPRoute old, HTTPRoute r) {
                    record(r);
                  }

                  @Override
                  public void onDelete(HTTPRoute r, boolean unknown) {}
                });
  }

  private void record(HTTPRoute r) {
    versions.add(r.getMetadata().getResourceVersion());
    int w = canary(r);
    if (entries.isEmpty() || entries.get(entries.size() - 1).canary() != w) {
      entries.add(new Entry(System.currentTimeMillis(), w));
    }
  }

  static int canary(HTTPRoute r) {
    for (var rule : r.getSpec().getRules()) {
      if ("modelrollout-primary".equals(rule.getName())) {
        for (var b : rule.getBackendRefs()) {
          if (b.getName().endsWith("-canary")) {
            return b.getWeight();
          }
        }
      }
    }
    return 0;
  }

  /** The weights in the order they were seen, each once per change. */
  List<Integer> weights() {
    List<Integer> out = new ArrayList<>();
    entries.forEach(e -> out.add(e.canary()));
    return out;
  }

  /** How many versions of the route were seen: each a write that changed it. */
  int versions() {
    return versions.size();
  }

  @Override
  public void close() {
    informer.close();
  }
}
