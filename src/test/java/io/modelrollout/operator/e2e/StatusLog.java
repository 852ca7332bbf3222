package io.modelrollout.operator.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.modelrollout.operator.api.ModelDeployment;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every version of one ModelDeployment a watch delivered, in order: each status it was given. */
final class StatusLog implements AutoCloseable {
  private final List<ModelDeployment> versions = new CopyOnWriteArrayList<>();
  private final SharedIndexInformer<ModelDeployment> informer;

  StatusLog(KubernetesClient client, String namespace, String name) {
    informer =
        client
            .resources(ModelDeployment.class)
            .inNamespace(namespace)
            .withName(name)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(ModelDeployment m) {
                    versions.add(m);
                  }

                  @Override
                  public void onUpdate(ModelDeployment old, ModelDeployment m) {
                    versions.add(m);
                  }

                  @Override
                  public void onDelete(ModelDeployment m, boolean unknown) {}
                });
  }

  /**
   * The versions after the one with {@code resourceVersion} (that one excluded); fails when the
   * watch never delivered it.
   */
  List<ModelDeployment> after(String resourceVersion) {
    List<ModelDeployment> all = List.copyOf(versions);
    for (int i = 0; i < all.size(); i++) {
      if (resourceVersion.equals(all.get(i).getMetadata().getResourceVersion())) {
        return all.subList(i + 1, all.size());
      }
    }
    throw new AssertionError("the watch never delivered resourceVersion " + resourceVersion);
  }

  @Override
  public void close() {
    informer.close();
  }
}
