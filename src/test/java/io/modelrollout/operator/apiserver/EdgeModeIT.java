package io.modelrollout.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.DeploymentMode;
import io.modelrollout.operator.api.EdgeSpec;
import io.modelrollout.operator.api.EdgeStatus;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.controller.EdgeCleanup;
import io.modelrollout.operator.controller.OperatorSettings;
import io.modelrollout.operator.controller.StartedRunner;
import io.modelrollout.operator.resources.RevisionHash;
import io.modelrollout.operator.testing.FakeDaemonSetController;
import io.modelrollout.operator.testing.Fixtures;
import io.modelrollout.operator.testing.Scenario;
import io.modelrollout.operator.testing.ScriptedMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Edge mode on the real API server: one DaemonSet per live revision, the node labels the operator
 * sets by server-side apply with its own field manager (a label someone else set stays as it is),
 * half of the fleet at a setNodePercent step spread over a topology label, a NotReady node skipped
 * and updated when it is back, and the labels removed when the ModelDeployment is gone (by the
 * operator's deletion informer and its start-up sweep). {@link FakeDaemonSetController} runs the
 * DaemonSets' pods.
 */
class EdgeModeIT {
  static final String KEY = "modelrollout.io/kiosk-revision";
  static final String SURGE = "modelrollout.io/kiosk-surge";

  /** Mode Edge is off unless asked for (the chart's edge.enabled, MRO_EDGE_ENABLED). */
  static final OperatorSettings EDGE =
      new OperatorSettings("http://prometheus.invalid:9090", Duration.ofSeconds(2), 8, true);

  Scenario scenario;
  KubernetesClient client;
  String ns;
  FakeDaemonSetController daemons;
  final List<String> nodes = new ArrayList<>();

  @BeforeEach
  void setUp() {
    scenario = Scenario.start("edge", EDGE, new ScriptedMetrics());
    client = scenario.client;
    ns = scenario.ns;
    daemons = new FakeDaemonSetController(client, ns);
    String[] hw = {"a", "b", "c"};
    for (int i = 0; i < 6; i++) {
      nodes.add(node(ns + "-n" + i, hw[i % 3], i != 5));
    }
    // node 4 carries the label by someone else's hand
    client
        .nodes()
        .withName(nodes.get(4))
        .edit(
            n ->
                new NodeBuilder(n)
                    .editMetadata()
                    .addToLabels(KEY, "hand-made")
                    .endMetadata()
                    .build());
    client
        .resource(
            Fixtures.canaryPolicy(ns, "by-node", 1, CanaryStep.nodes(50), CanaryStep.pause(null)))
        .create();
    client.resource(edge()).create();
  }

  @AfterEach
  void tearDown() {
    daemons.close();
    nodes.forEach(n -> client.nodes().withName(n).delete()); // before the client closes
    scenario.close();
  }

  private ModelDeployment edge() {
    ModelDeployment md = Fixtures.withPolicy(Fixtures.model(ns, "kiosk", "1.0.0", 1), "by-node");
    md.getSpec().mode = DeploymentMode.Edge;
    EdgeSpec e = new EdgeSpec();
    e.nodeSelector = Map.of("fleet", ns);
    EdgeSpec.EdgeToleration t = new EdgeSpec.EdgeToleration();
    t.key = "edge";
    t.operator = EdgeSpec.Operator.Exists;
    t.effect = EdgeSpec.Effect.NoSchedule;
    e.tolerations = List.of(t);
    e.topologyKey = "hw";
    e.maxUnavailableNodes = 2;
    md.getSpec().edge = e;
    return md;
  }

  private String node(String name, String hw, boolean ready) {
    Node n =
        client
            .resource(
                new NodeBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .addToLabels("fleet", ns)
                    .addToLabels("hw", hw)
                    .endMetadata()
                    .build())
            .create();
    setReady(n, ready);
    return name;
  }

  private void setReady(Node n, boolean ready) {
    Node fresh = client.nodes().withName(n.getMetadata().getName()).get();
    fresh.setStatus(
        new io.fabric8.kubernetes.api.model.NodeStatusBuilder()
            .withConditions(
                new NodeConditionBuilder()
                    .withType("Ready")
                    .withStatus(ready ? "True" : "False")
                    .withReason(ready ? "KubeletReady" : "KubeletNotReady")
                    .build())
            .build());
    client.resource(fresh).updateStatus();
  }

  @Test
  void halfTheFleetThenAllOfItWithTheOperatorsOwnLabels() {
    ModelDeployment v1 = scenario.awaitMd("kiosk", m -> m.getStatus().phase == Phase.Healthy);
    String r1 = v1.getStatus().stable.revision;
    assertThat(v1.getStatus().edge.label).isEqualTo(KEY);
    assertThat(v1.getStatus().edge.nodes)
        .usingRecursiveComparison()
        .isEqualTo(new EdgeStatus.Nodes(6, 5, 4, 2));
    assertThat(v1.getStatus().edge.skippedNodes)
        .extracting(s -> s.name + ": " + s.reason)
        .containsExactlyInAnyOrder(
            nodes.get(4) + ": its label " + KEY + " was set by someone else",
            nodes.get(5) + ": NotReady or unreachable");
    DaemonSet ds = daemonSet(r1);
    var pod = ds.getSpec().getTemplate().getSpec();
    assertThat(pod.getNodeSelector()).containsEntry("fleet", ns);
    assertThat(pod.getTolerations()).anySatisfy(t -> assertThat(t.getKey()).isEqualTo("edge"));
    var terms =
        pod.getAffinity()
            .getNodeAffinity()
            .getRequiredDuringSchedulingIgnoredDuringExecution()
            .getNodeSelectorTerms();
    assertThat(terms)
        .singleElement()
        .satisfies(
            term -> {
              assertThat(term.getMatchExpressions().get(0).getKey()).isEqualTo(KEY);
              assertThat(term.getMatchExpressions().get(0).getValues()).containsExactly(r1);
            });
    assertThat(labels()).containsEntry(nodes.get(4), "hand-made");
    for (int i : List.of(0, 1, 2, 3, 5)) {
      assertThat(labels()).containsEntry(nodes.get(i), r1);
      Node n = client.nodes().withName(nodes.get(i)).get();
      assertThat(n.getMetadata().getManagedFields())
          .anySatisfy(f -> assertThat(f.getManager()).isEqualTo("mro-edge/" + ns + "/kiosk"));
    }

    scenario.patch("kiosk", "{\"spec\":{\"model\":{\"version\":\"2.0.0\"}}}");
    String r2 = RevisionHash.of(scenario.md("kiosk").getSpec());
    ModelDeployment half = scenario.awaitMd("kiosk", m -> m.getStatus().phase == Phase.Paused);
    assertThat(half.getStatus().currentStep).isEqualTo("pause until promoted");
    List<String> on2 = on(r2);
    assertThat(on2)
        .as("50%% of 6 nodes; the NotReady and the foreign one are not taken")
        .hasSize(3);
    assertThat(
            on2.stream()
                .map(n -> client.nodes().withName(n).get().getMetadata().getLabels().get("hw")))
        .as("one of each hardware class")
        .containsExactlyInAnyOrder("a", "b", "c");
    assertThat(half.getStatus().edge.nodes.updated).isEqualTo(3);
    assertThat(half.getStatus().canary.readyReplicas).isEqualTo(3);

    scenario.patch(
        "kiosk", "{\"metadata\":{\"annotations\":{\"modelrollout.io/action\":\"promote\"}}}");
    ModelDeployment done =
        scenario.awaitMd(
            "kiosk",
            m -> "2.0.0".equals(m.getStatus().stable.version) && m.getStatus().canary == null);
    assertThat(on(r2)).hasSize(4);
    assertThat(labels()).containsEntry(nodes.get(5), r1);
    assertThat(done.getStatus().phase).isEqualTo(Phase.Healthy);

    setReady(client.nodes().withName(nodes.get(5)).get(), true);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> r2.equals(labels().get(nodes.get(5))) && daemonSet(r1) == null);
    assertThat(labels()).containsEntry(nodes.get(4), "hand-made");
    ModelDeployment all = scenario.awaitMd("kiosk", m -> m.getStatus().edge.nodes.ready == 5);
    assertThat(all.getStatus().edge.nodes)
        .usingRecursiveComparison()
        .isEqualTo(new EdgeStatus.Nodes(6, 5, 5, 1));

    // deleted: its labels go, someone else's stays
    client.resources(ModelDeployment.class).inNamespace(ns).withName("kiosk").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> scenario.md("kiosk") == null);
    EdgeCleanup.sweep(client, Set.of(ns));
    assertThat(labels()).containsOnlyKeys(nodes.get(4)).containsEntry(nodes.get(4), "hand-made");
  }

  /**
   * The real path of a deletion: {@link io.modelrollout.operator.controller.OperatorRunner}'s
   * start-up sweep for a ModelDeployment deleted while no operator ran, and its deletion informer
   * for one deleted while it runs, in the middle of a rollout (surge labels set). Only the labels
   * the operator set go.
   */
  @Test
  void theOperatorRemovesItsNodeLabelsWhenTheModelDeploymentIsDeleted() {
    String r1 =
        scenario
            .awaitMd("kiosk", m -> m.getStatus().phase == Phase.Healthy)
            .getStatus()
            .stable
            .revision;
    assertThat(on(r1)).hasSize(5);

    // deleted while no operator runs: the labels stay until one starts
    scenario.stopOperator();
    client.resources(ModelDeployment.class).inNamespace(ns).withName("kiosk").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> scenario.md("kiosk") == null);
    assertThat(on(r1)).as("nobody has removed them yet").hasSize(5);
    // the garbage collector's part (no controller manager here)
    client.apps().daemonSets().inNamespace(ns).delete();

    try (StartedRunner runner = StartedRunner.start(ns, EDGE, new ScriptedMetrics())) {
      assertThat(labels())
          .as("the start-up sweep removed the deleted one's labels, not someone else's")
          .containsExactly(Map.entry(nodes.get(4), "hand-made"));
      assertOthersLabelsKept();

      // deleted while the operator runs, with nodes half-way to version 2 (surge labels)
      ModelDeployment md = edge();
      md.getSpec().edge.maxSurge = 1;
      client.resource(md).create();
      scenario.awaitMd("kiosk", m -> m.getStatus().phase == Phase.Healthy && on(r1).size() == 5);
      nodes.forEach(daemons::hold); // version 2's pods never become ready
      scenario.patch("kiosk", "{\"spec\":{\"model\":{\"version\":\"2.0.0\"}}}");
      String r2 = RevisionHash.of(scenario.md("kiosk").getSpec());
      await().atMost(Duration.ofSeconds(30)).until(() -> labels(SURGE).size() == 2);
      assertThat(labels(SURGE).values()).containsOnly(r2);
      assertThat(on(r1)).as("surging: the old pods stay").hasSize(5);

      client.resources(ModelDeployment.class).inNamespace(ns).withName("kiosk").delete();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> labels(SURGE).isEmpty() && labels().size() == 1);
      assertThat(labels()).containsExactly(Map.entry(nodes.get(4), "hand-made"));
      assertOthersLabelsKept();
      for (String n : nodes) {
        assertThat(client.nodes().withName(n).get().getMetadata().getManagedFields())
            .as("node %s", n)
            .noneSatisfy(f -> assertThat(f.getManager()).isEqualTo("mro-edge/" + ns + "/kiosk"));
      }
    }
  }

  private void assertOthersLabelsKept() {
    for (int i = 0; i < nodes.size(); i++) {
      Map<String, String> l = client.nodes().withName(nodes.get(i)).get().getMetadata().getLabels();
      assertThat(l)
          .containsEntry("fleet", ns)
          .containsEntry("hw", new String[] {"a", "b", "c"}[i % 3]);
    }
  }

  private Map<String, String> labels() {
    return labels(KEY);
  }

  private Map<String, String> labels(String key) {
    Map<String, String> out = new java.util.TreeMap<>();
    for (String n : nodes) {
      String v = client.nodes().withName(n).get().getMetadata().getLabels().get(key);
      if (v != null) out.put(n, v);
    }
    return out;
  }

  private List<String> on(String revision) {
    return labels().entrySet().stream()
        .filter(e -> revision.equals(e.getValue()))
        .map(Map.Entry::getKey)
        .toList();
  }

  private DaemonSet daemonSet(String revision) {
    return client.apps().daemonSets().inNamespace(ns).withName("kiosk-" + revision).get();
  }
}
