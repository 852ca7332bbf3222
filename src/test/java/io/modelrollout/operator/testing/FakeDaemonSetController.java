package io.modelrollout.operator.testing;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for the DaemonSet controller, the scheduler and the kubelets on an API server without
 * them: every 200 ms, each DaemonSet of the namespace gets one pod on every Ready node its node
 * selector and required node affinity select (a term's In expressions), ready at once unless the
 * node is {@link #hold held}; pods on nodes no longer selected are deleted.
 */
public final class FakeDaemonSetController implements AutoCloseable {
  private final KubernetesClient client;
  private final String ns;
  private final Set<String> held = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();

  public FakeDaemonSetController(KubernetesClient client, String ns) {
    this.client = client;
    this.ns = ns;
    ticker.scheduleWithFixedDelay(this::sync, 200, 200, TimeUnit.MILLISECONDS);
  }

  /** Pods on this node never become ready. */
  public void hold(String node) {
    held.add(node);
  }

  private void sync() {
    try {
      List<Node> nodes = client.nodes().list().getItems();
      List<DaemonSet> sets = client.apps().daemonSets().inNamespace(ns).list().getItems();
      List<Pod> pods = client.pods().inNamespace(ns).list().getItems();
      for (DaemonSet ds : sets) {
        String name = ds.getMetadata().getName();
        for (Node n : nodes) {
          String node = n.getMetadata().getName();
          String podName = name + "-" + node;
          Pod pod =
              pods.stream()
                  .filter(p -> p.getMetadata().getName().equals(podName))
                  .findFirst()
                  .orElse(null);
          boolean wanted = ready(n) && selects(ds, n);
          if (wanted && pod == null) {
            create(ds, podName, node);
          } else if (!wanted && pod != null) {
            client.resource(pod).withGracePeriod(0).delete();
          }
        }
      }
      for (Pod p : pods) { // the garbage collector, for a deleted DaemonSet
        String owner = p.getMetadata().getLabels().get("fake-daemonset");
        if (owner != null
            && sets.stream().noneMatch(d -> d.getMetadata().getName().equals(owner))) {
          client.resource(p).withGracePeriod(0).delete();
        }
      }
    } catch (RuntimeException e) {
      // the next tick tries again
    }
  }

  private void create(DaemonSet ds, String name, String node) {
    var t = ds.getSpec().getTemplate();
    Map<String, String> labels = new java.util.LinkedHashMap<>(t.getMetadata().getLabels());
    labels.put("fake-daemonset", ds.getMetadata().getName());
    Pod p =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(ns)
            .withLabels(labels)
            .endMetadata()
            .withSpec(t.getSpec())
            .editSpec()
            .withNodeName(node)
            .endSpec()
            .build();
    Pod created = client.resource(p).create();
    if (!held.contains(node)) {
      created.setStatus(
          new PodStatusBuilder()
              .withPhase("Running")
              .withConditions(
                  new PodConditionBuilder().withType("Ready").withStatus("True").build())
              .build());
      client.resource(created).updateStatus();
    }
  }

  static boolean ready(Node n) {
    return n.getStatus() != null
        && n.getStatus().getConditions() != null
        && n.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  static boolean selects(DaemonSet ds, Node n) {
    Map<String, String> labels =
        n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels();
    var spec = ds.getSpec().getTemplate().getSpec();
    if (spec.getNodeSelector() != null
        && !spec.getNodeSelector().entrySet().stream()
            .allMatch(e -> Objects.equals(labels.get(e.getKey()), e.getValue()))) {
      return false;
    }
    var affinity = spec.getAffinity();
    if (affinity == null
        || affinity.getNodeAffinity() == null
        || affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
      return true;
    }
    for (NodeSelectorTerm term :
        affinity
            .getNodeAffinity()
            .getRequiredDuringSchedulingIgnoredDuringExecution()
            .getNodeSelectorTerms()) {
      boolean all = true;
      for (NodeSelectorRequirement r : term.getMatchExpressions()) {
        all &= "In".equals(r.getOperator()) && r.getValues().contains(labels.get(r.getKey()));
      }
      if (all) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    ticker.shutdownNow();
  }
}
