package io.modelrollout.operator.rollout;

import io.modelrollout.operator.api.Durations;
import io.modelrollout.operator.api.EdgeSpec;
import io.modelrollout.operator.api.EdgeStatus;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.api.RevisionStatus;
import io.modelrollout.operator.rollout.EdgeObserved.Node;
import io.modelrollout.operator.rollout.ModeIntent.NodeLabels;
import io.modelrollout.operator.status.Reasons;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An Edge decision: the rollout unit is the node. Each revision has a DaemonSet that runs on the
 * nodes whose label {@code modelrollout.io/<name>-revision} names it. A setNodePercent step moves
 * that share of the fleet to the new revision, nodes taken in {@link FleetOrder}; at most
 * maxUnavailableNodes update at once. With maxSurge 0 a node first loses its old pod (its label
 * removed, the surge label marking where it goes) and only then gets the new one; with maxSurge 1
 * it runs the new pod beside the old one (the surge label), until the new one is ready. Nodes that
 * are NotReady or unreachable are skipped and counted, never waited for; they are labeled for the
 * version in service and run it when they come back. A rollback relabels every node back at once.
 * Labels someone else set are left alone.
 */
final class EdgeRun extends ModeRun {
  static final int SKIPPED_LIMIT = 20;

  private final EdgeObserved e;
  private final EdgeSpec spec;

  EdgeRun(
      RolloutSnapshot s,
      ModelDeploymentStatus st,
      EdgeObserved e,
      Instant now,
      Duration progressDeadline) {
    super(s, st, ModePlan.edge(s.policy()), now, progressDeadline);
    this.e = e;
    this.spec = e.spec();
  }

  /** The nodes a step takes, and whether they all run the canary ready. */
  private record Fleet(List<String> chosen, List<String> waiting) {}

  @Override
  StageRunner.Result runStep(ModeStep step, int index, boolean forced) {
    ModeStep.Nodes n = (ModeStep.Nodes) step;
    if (forced && !n.promote()) {
      return new StageRunner.Done();
    }
    Fleet f = fleet(n.percent());
    if (f.waiting().isEmpty()) {
      return new StageRunner.Done();
    }
    Instant deadline = Instant.parse(st.stepStartedAt).plus(progressDeadline);
    if (!now.isBefore(deadline)) {
      String c = st.canary.revision;
      List<String> stuck =
          f.waiting().stream()
              .filter(
                  name -> e.nodes().stream().anyMatch(x -> x.name().equals(name) && updating(x, c)))
              .toList();
      List<String> w = stuck.isEmpty() ? f.waiting() : stuck;
      int queued = f.waiting().size() - w.size();
      String names =
          String.join(", ", w.subList(0, Math.min(5, w.size())))
              + (w.size() > 5 ? " and " + (w.size() - 5) + " more" : "");
      return new StageRunner.Fail(
          Reasons.PROGRESS_DEADLINE_EXCEEDED,
          String.format(
              "%s %s had no ready pod of version %s at step '%s' after %s%s",
              w.size() == 1 ? "node" : "nodes",
              names,
              st.canary.version,
              step.describe(),
              Durations.format(progressDeadline),
              queued == 0
                  ? ""
                  : " ("
                      + queued
                      + (queued == 1
                          ? " more node waited its turn)"
                          : " more nodes waited their turn)")));
    }
    return new StageRunner.Wait(deadline);
  }

  private List<Node> fleetNodes() {
    return e.nodes().stream().filter(x -> x.eligible() && !x.foreign()).toList();
  }

  /** The nodes that run the canary at {@code percent}: those already on it, then online ones. */
  private Fleet fleet(int percent) {
    String c = st.canary.revision;
    List<Node> fleet = fleetNodes();
    Map<String, Node> byName = new LinkedHashMap<>();
    fleet.forEach(x -> byName.put(x.name(), x));
    List<String> order =
        FleetOrder.of(
            fleet.stream()
                .map(x -> new FleetOrder.Member(x.name(), x.topology() == null ? "" : x.topology()))
                .toList(),
            c);
    int want =
        percent <= 0
            ? 0
            : percent >= 100
                ? fleet.size()
                : Math.max(1, (int) Math.ceil(percent * fleet.size() / 100.0));
    Set<String> chosen = new LinkedHashSet<>();
    for (String name : order) {
      Node x = byName.get(name);
      if (c.equals(x.revision()) || c.equals(x.surge())) {
        chosen.add(name);
      }
    }
    for (String name : order) {
      if (chosen.size() >= want) break;
      if (byName.get(name).online()) chosen.add(name);
    }
    List<String> inOrder = order.stream().filter(chosen::contains).toList();
    List<String> waiting = new ArrayList<>();
    for (String name : inOrder) {
      Node x = byName.get(name);
      if (x.online() && !(c.equals(x.revision()) && x.surge() == null && x.ready(c))) {
        waiting.add(name);
      }
    }
    return new Fleet(inOrder, waiting);
  }

  @Override
  ModeIntent intent() {
    String stable = st.stable.revision;
    String canary = st.canary == null ? null : st.canary.revision;
    List<String> chosen =
        canary == null ? List.of() : fleet(plan.nodePercent(st.currentStepIndex)).chosen();
    int[] budget = {canary == null ? Integer.MAX_VALUE : spec.maxUnavailableNodesOrDefault()};
    if (canary != null) {
      budget[0] -= (int) fleetNodes().stream().filter(x -> updating(x, canary)).count();
    }
    Map<String, Node> byName = new LinkedHashMap<>();
    e.nodes().forEach(x -> byName.put(x.name(), x));
    // the chosen nodes first, in their order, so that the pace takes them in turn
    List<String> names = new ArrayList<>(chosen);
    byName.keySet().stream().filter(n -> !chosen.contains(n)).sorted().forEach(names::add);
    Map<String, NodeLabels> labels = new LinkedHashMap<>();
    for (String name : names) {
      Node x = byName.get(name);
      if (x.foreign()) {
        continue;
      }
      if (!x.eligible()) {
        if (x.revision() != null || x.surge() != null) {
          labels.put(name, new NodeLabels(null, null)); // it left the fleet
        }
        continue;
      }
      labels.put(name, converge(x, chosen.contains(name) ? canary : stable, budget));
    }
    Set<String> daemonSets = new LinkedHashSet<>();
    daemonSets.add(stable);
    if (canary != null) daemonSets.add(canary);
    labels.values().stream()
        .flatMap(l -> java.util.stream.Stream.of(l.revision(), l.surge()))
        .filter(Objects::nonNull)
        .forEach(daemonSets::add);
    count(labels, stable, canary);
    return new ModeIntent.Edge(labels, daemonSets);
  }

  /** Whether a node is on its way to the canary: surging, draining, or not ready on it yet. */
  private static boolean updating(Node x, String canary) {
    return x.online() && (x.surge() != null || (canary.equals(x.revision()) && !x.ready(canary)));
  }

  /** The labels that move a node one step towards {@code target}. */
  private NodeLabels converge(Node x, String target, int[] budget) {
    String cur = x.revision();
    boolean surge = spec.maxSurgeOrDefault() > 0;
    if (target.equals(cur)) {
      return new NodeLabels(target, null);
    }
    if (!x.online()) {
      // a new node gets its version at once; one that ran another keeps it until it is back,
      // and then moves like any other (its old pod first)
      return cur == null && !x.runsOtherThan(target)
          ? new NodeLabels(target, null)
          : new NodeLabels(cur, x.surge());
    }
    if (target.equals(x.surge())) { // on its way
      if (!surge) {
        return x.runsOtherThan(target)
            ? new NodeLabels(null, target)
            : new NodeLabels(target, null);
      }
      return x.ready(target) ? new NodeLabels(target, null) : new NodeLabels(cur, target);
    }
    if (cur == null && !x.runsOtherThan(target)) {
      return new NodeLabels(target, null); // a new node: nothing to replace
    }
    if (budget[0] <= 0) {
      return new NodeLabels(cur, null);
    }
    budget[0]--;
    return surge ? new NodeLabels(cur, target) : new NodeLabels(null, target);
  }

  private void count(Map<String, NodeLabels> labels, String stable, String canary) {
    EdgeStatus es = st.edge == null ? new EdgeStatus() : st.edge;
    st.edge = es;
    es.label = e.labelKey();
    String newest = canary != null ? canary : stable;
    int total = 0;
    int updated = 0;
    int ready = 0;
    List<EdgeStatus.SkippedNode> skipped = new ArrayList<>();
    int[] stableNodes = new int[2];
    int[] canaryNodes = new int[2];
    for (Node x : e.nodes()) {
      if (!x.eligible()) {
        continue;
      }
      total++;
      if (x.foreign()) {
        skipped.add(
            new EdgeStatus.SkippedNode(
                x.name(), "its label " + e.labelKey() + " was set by someone else"));
        continue;
      }
      if (!x.online()) {
        skipped.add(new EdgeStatus.SkippedNode(x.name(), "NotReady or unreachable"));
      }
      NodeLabels l = labels.get(x.name());
      String rev = l == null ? null : l.revision();
      if (newest.equals(rev)) {
        updated++;
      }
      if (!x.online() || rev == null) {
        continue;
      }
      boolean r = x.ready(rev);
      ready += r ? 1 : 0;
      int[] side = rev.equals(stable) ? stableNodes : rev.equals(canary) ? canaryNodes : null;
      if (side != null) {
        side[0]++;
        side[1] += r ? 1 : 0;
      }
    }
    es.nodes = new EdgeStatus.Nodes(total, updated, ready, skipped.size());
    es.skippedNodes = new ArrayList<>(skipped.subList(0, Math.min(SKIPPED_LIMIT, skipped.size())));
    size(st.stable, stableNodes);
    if (st.canary != null) {
      size(st.canary, canaryNodes);
    }
  }

  private static void size(RevisionStatus r, int[] nodes) {
    r.replicas = nodes[0];
    r.readyReplicas = nodes[1];
  }
}
