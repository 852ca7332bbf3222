package io.modelrollout.operator.controller;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.resources.EdgeObjects;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Removes the node labels of Edge ModelDeployments that are gone. There is no finalizer (the
 * garbage collector removes the DaemonSets), so the labels go when the leader sees the deletion,
 * and, for one deleted while no leader ran, when a leader starts. Each ModelDeployment labels nodes
 * with its own field manager ({@link EdgeObjects#fieldManager}): an empty server-side apply with
 * that manager removes exactly the labels it set, and nobody else's.
 */
public final class EdgeCleanup {
  private static final Logger LOG = Logger.getLogger(EdgeCleanup.class);

  private EdgeCleanup() {}

  /** Removes the labels of the ModelDeployment {@code namespace/name} from every node. */
  public static void deleted(KubernetesClient client, String namespace, String name) {
    String manager = EdgeObjects.fieldManager(namespace, name);
    for (Node n : client.nodes().list().getItems()) {
      if (managers(n).contains(manager)) {
        clear(client, n.getMetadata().getName(), manager);
      }
    }
  }

  /**
   * Removes the labels of every Edge ModelDeployment that no longer exists, in the watched
   * namespaces (all when {@code namespaces} is empty).
   */
  public static void sweep(KubernetesClient client, Set<String> namespaces) {
    Map<String, Set<String>> existing = new HashMap<>();
    for (Node n : client.nodes().list().getItems()) {
      for (String manager : managers(n)) {
        String[] id = manager.substring(EdgeObjects.FIELD_MANAGER_PREFIX.length()).split("/", 2);
        if (id.length != 2 || (!namespaces.isEmpty() && !namespaces.contains(id[0]))) {
          continue;
        }
        // list, not get: the operator may list ModelDeployments, not get them by name
        Set<String> names =
            existing.computeIfAbsent(
                id[0],
                ns ->
                    client
                        .resources(ModelDeployment.class)
                        .inNamespace(ns)
                        .list()
                        .getItems()
                        .stream()
                        .map(md -> md.getMetadata().getName())
                        .collect(Collectors.toSet()));
        if (!names.contains(id[1])) {
          clear(client, n.getMetadata().getName(), manager);
        }
      }
    }
  }

  private static Set<String> managers(Node n) {
    var entries = n.getMetadata().getManagedFields();
    if (entries == null) {
      return Set.of();
    }
    return entries.stream()
        .map(ManagedFieldsEntry::getManager)
        .filter(m -> m != null && m.startsWith(EdgeObjects.FIELD_MANAGER_PREFIX))
        .collect(Collectors.toSet());
  }

  private static void clear(KubernetesClient client, String node, String manager) {
    LOG.infof("node %s: removing the labels of %s (its ModelDeployment is gone)", node, manager);
    client
        .resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata().build())
        .fieldManager(manager)
        .serverSideApply();
  }
}
