package io.modelrollout.operator.rollout;

import static io.modelrollout.operator.rollout.FleetWorld.revisionOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.Condition;
import io.modelrollout.operator.api.EdgeStatus;
import io.modelrollout.operator.api.HistoryEntry;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.RolloutPolicySpec;
import io.modelrollout.operator.status.Conditions;
import io.modelrollout.operator.status.EventSpec;
import io.modelrollout.operator.status.StatusEvents;
import io.modelrollout.operator.support.Json;
import io.modelrollout.operator.testing.Fixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Edge mode through a simulated fleet: node by node, NotReady nodes skipped, rollback. */
class EdgeEngineTest {
  static final String V1 = revisionOf("1.0.0");
  static final String V2 = revisionOf("2.0.0");
  FleetWorld w;

  static RolloutPolicySpec policy() {
    RolloutPolicySpec p =
        Fixtures.canarySpec(
            1,
            CanaryStep.nodes(10),
            CanaryStep.analysis("errors"),
            CanaryStep.nodes(50),
            CanaryStep.pause("1m"));
    var g = Fixtures.gate("errors", "device_errors{version=\"{{version}}\"}", 0.01);
    g.count = 1;
    p.gates.add(g);
    p.progressDeadline = "5m";
    return p;
  }

  @BeforeEach
  void tenNodesTwoOfThemOffline() {
    w = new FleetWorld(policy(), 10);
    w.nodes.get("kiosk-03").online = false;
    w.nodes.get("kiosk-07").online = false;
    ModeDecision d = w.settle();
    ModelDeploymentStatus st = d.decision().status();
    assertThat(st.phase).isEqualTo(Phase.Healthy);
    assertThat(w.on(V1)).as("offline nodes are labeled too: they run it when back").hasSize(10);
    assertThat(w.daemonSets).containsExactly(V1);
    assertThat(st.edge.nodes)
        .usingRecursiveComparison()
        .isEqualTo(new EdgeStatus.Nodes(10, 10, 8, 2));
    assertThat(st.edge.skippedNodes)
        .extracting(s -> s.name + ": " + s.reason)
        .containsExactly("kiosk-03: NotReady or unreachable", "kiosk-07: NotReady or unreachable");
    assertThat(Conditions.find(st.conditions, Condition.READY).message)
        .isEqualTo("version 1.0.0 runs ready on 8/8 online nodes (2 skipped)");
    assertThat(w.events).extracting(EventSpec::reason).contains("NodesSkipped");
  }

  /** The online nodes in the order the rollout of {@code revision} takes them. */
  private List<String> order(String revision) {
    List<FleetOrder.Member> m = new ArrayList<>();
    w.nodes.values().forEach(n -> m.add(new FleetOrder.Member(n.name, n.topology)));
    return FleetOrder.of(m, revision).stream().filter(n -> w.nodes.get(n).online).toList();
  }

  @Test
  void tenThenFiftyThenAllNodesSkippingTheOfflineOnes() {
    w.version = "2.0.0";
    w.gateValues.put("errors", 0.001);
    ModelDeploymentStatus st = w.step().decision().status();
    assertThat(st.currentStep).isEqualTo("setNodePercent 10");
    String first = order(V2).get(0);
    assertThat(w.nodes.get(first).revision).as("drained first (maxSurge 0)").isNull();
    assertThat(w.nodes.get(first).surge).isEqualTo(V2);
    assertThat(w.daemonSets).containsExactlyInAnyOrder(V1, V2);
    w.tick();
    w.step();
    assertThat(w.on(V2)).containsExactly(first);
    w.tick();
    st = w.settle().decision().status();
    assertThat(st.currentStep).isEqualTo("pause 1m");
    assertThat(w.on(V2)).containsExactlyInAnyOrderElementsOf(order(V2).subList(0, 5));
    assertThat(st.edge.nodes)
        .usingRecursiveComparison()
        .isEqualTo(new EdgeStatus.Nodes(10, 5, 8, 2));
    assertThat(st.canary.replicas).isEqualTo(5);
    assertThat(st.stable.replicas).as("online nodes on version 1").isEqualTo(3);

    w.advance(Duration.ofMinutes(1));
    st = w.settle().decision().status();
    assertThat(st.stable.version).isEqualTo("2.0.0");
    assertThat(st.canary).isNull();
    assertThat(st.history.get(0).outcome).isEqualTo(HistoryEntry.Outcome.Promoted);
    assertThat(w.on(V2)).as("every online node").hasSize(8);
    assertThat(w.on(V1))
        .as("offline nodes keep their version until they are back")
        .containsExactly("kiosk-03", "kiosk-07");
    assertThat(w.daemonSets).containsExactlyInAnyOrder(V1, V2);
    assertThat(st.phase).isEqualTo(Phase.Healthy);
    assertThat(st.edge.nodes.updated).isEqualTo(8);

    w.nodes.get("kiosk-03").online = true;
    st = w.settle().decision().status();
    assertThat(w.nodes.get("kiosk-03").revision).isEqualTo(V2);
    assertThat(w.nodes.get("kiosk-03").pods.keySet())
        .as("a node that comes back gets the version in service")
        .containsExactly(V2);
    assertThat(st.edge.nodes.ready).isEqualTo(9);
    assertThat(st.edge.nodes.skipped).isEqualTo(1);
  }

  @Test
  void aRestartTakesTheSameNodes() {
    FleetWorld other = new FleetWorld(policy(), 10);
    other.nodes.get("kiosk-03").online = false;
    other.nodes.get("kiosk-07").online = false;
    other.settle();
    for (FleetWorld x : List.of(w, other)) {
      x.version = "2.0.0";
      x.gateValues.put("errors", 0.0);
      x.settle();
    }
    assertThat(other.on(V2)).isEqualTo(w.on(V2)).hasSize(5);
    assertThat(other.labelHistory)
        .isEqualTo(
            w.labelHistory.subList(
                w.labelHistory.size() - other.labelHistory.size(), w.labelHistory.size()));
  }

  @Test
  void eachStepCoversEveryTopologyClassFirst() {
    w = new FleetWorld(policy(), 12);
    String[] classes = {"gpu-a", "gpu-b", "cpu"};
    int i = 0;
    for (var n : w.nodes.values()) {
      n.topology = classes[i++ % 3];
    }
    w.spec.topologyKey = "hardware";
    w.policy = Fixtures.canarySpec(1, CanaryStep.nodes(25), CanaryStep.pause(null));
    w.settle();
    w.version = "2.0.0";
    w.settle();
    assertThat(w.on(V2)).hasSize(3);
    assertThat(w.on(V2).stream().map(n -> w.nodes.get(n).topology).toList())
        .containsExactlyInAnyOrder("gpu-a", "gpu-b", "cpu");
  }

  @Test
  void withMaxSurgeTheNewPodRunsBesideTheOldUntilItIsReady() {
    w.spec.maxSurge = 1;
    w.version = "2.0.0";
    w.step();
    String first = order(V2).get(0);
    var node = w.nodes.get(first);
    assertThat(node.revision).isEqualTo(V1);
    assertThat(node.surge).isEqualTo(V2);
    assertThat(node.pods.keySet()).containsExactly(V1, V2);
    w.step();
    assertThat(node.surge).as("not before the new pod is ready").isEqualTo(V2);
    w.tick();
    w.step();
    assertThat(node.revision).isEqualTo(V2);
    assertThat(node.surge).isNull();
    assertThat(node.pods.get(V1).terminating).isTrue();
  }

  @Test
  void atMostMaxUnavailableNodesUpdateAtOnce() {
    w.spec.maxUnavailableNodes = 3;
    w.policy = Fixtures.canarySpec(1, CanaryStep.nodes(100));
    w.version = "2.0.0";
    w.settle();
    assertThat(w.maxUpdating).isEqualTo(3);
    assertThat(w.status().stable.version).isEqualTo("2.0.0");
  }

  @Test
  void aNodeThatNeverRunsTheNewVersionReadyRollsBackEveryNode() {
    w.gateValues.put("errors", 0.0);
    String second = order(V2).get(1);
    w.nodes.get(second).broken = true;
    w.version = "2.0.0";
    w.settle();
    ModelDeploymentStatus st = w.status();
    assertThat(st.currentStep).isEqualTo("setNodePercent 50");
    w.advance(Duration.ofMinutes(5));
    st = w.step().decision().status();
    assertThat(st.phase).isEqualTo(Phase.RolledBack);
    assertThat(st.history.get(0).reason)
        .isEqualTo(
            "node "
                + second
                + " had no ready pod of version 2.0.0 at step 'setNodePercent 50' after 5m (3 more"
                + " nodes waited their turn)");
    assertThat(w.on(V2)).as("every node relabeled at once").isEmpty();
    w.nodes.get(second).broken = false;
    st = w.settle().decision().status();
    assertThat(w.on(V1)).hasSize(10);
    assertThat(w.daemonSets).containsExactly(V1);
    assertThat(st.edge.nodes.ready).isEqualTo(8);
    assertThat(Conditions.find(st.conditions, Condition.DEGRADED).reason).isEqualTo("RolledBack");
  }

  @Test
  void aFailedGateRelabelsTheCanaryNodesBack() {
    w.gateValues.put("errors", 0.5);
    w.version = "2.0.0";
    ModelDeploymentStatus st = w.settle().decision().status();
    assertThat(st.phase).isEqualTo(Phase.RolledBack);
    assertThat(st.history.get(0).reason).contains("gate errors failed: value 0.5");
    assertThat(w.on(V1)).hasSize(10);
    assertThat(w.daemonSets).containsExactly(V1);
  }

  @Test
  void anAbortRelabelsTheCanaryNodesBack() {
    w.version = "2.0.0";
    w.settle();
    w.action = "abort";
    w.settle();
    assertThat(w.status().phase).isEqualTo(Phase.RolledBack);
    assertThat(w.on(V1)).hasSize(10);
  }

  @Test
  void aLabelSomeoneElseSetIsLeftAloneAndShown() {
    var n = w.nodes.get("kiosk-05");
    n.revision = null;
    n.foreign = "hand-made";
    ModelDeploymentStatus st = w.settle().decision().status();
    assertThat(st.edge.skippedNodes).extracting(s -> s.name).contains("kiosk-05");
    assertThat(st.edge.nodes.skipped).isEqualTo(3);
  }

  @Test
  void aNodeThatLeavesTheFleetLosesTheLabelsWeSet() {
    w.nodes.get("kiosk-01").eligible = false;
    w.settle();
    assertThat(w.nodes.get("kiosk-01").revision).isNull();
    assertThat(w.nodes.get("kiosk-01").pods).isEmpty();
    assertThat(w.status().edge.nodes.total).isEqualTo(9);
  }

  @Test
  void aNodeGoingOfflineMidUpdateIsNotWaitedFor() {
    w.policy = Fixtures.canarySpec(1, CanaryStep.nodes(10), CanaryStep.pause(null));
    w.version = "2.0.0";
    w.step();
    String first = order(V2).get(0);
    w.nodes.get(first).online = false;
    ModelDeploymentStatus st = w.settle().decision().status();
    assertThat(st.currentStep).isEqualTo("pause until promoted");
    assertThat(st.edge.skippedNodes).extracting(s -> s.name).contains(first);
  }

  @Test
  void aRepeatedReconcileAtEveryStepIsANoOp() {
    w.version = "2.0.0";
    w.gateValues.put("errors", 0.0);
    for (int i = 0; i < 60 && (w.status().canary != null || i == 0); i++) {
      w.tick();
      w.step();
      ModelDeploymentStatus before = w.step().decision().status();
      String labels = w.labels();
      ModelDeploymentStatus again = w.step().decision().status();
      assertThat(Json.canonical(again)).isEqualTo(Json.canonical(before));
      assertThat(StatusEvents.between(before, again)).isEmpty();
      assertThat(w.labels()).isEqualTo(labels);
      w.advance(Duration.ofSeconds(10));
    }
    assertThat(w.status().stable.version).isEqualTo("2.0.0");
    assertThat(Set.copyOf(w.on(V2))).hasSize(8);
  }
}
