package io.modelrollout.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelrollout.operator.analysis.Measurement;
import io.modelrollout.operator.api.DeploymentMode;
import io.modelrollout.operator.api.EdgeSpec;
import io.modelrollout.operator.api.GateSpec;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.api.RolloutPolicySpec;
import io.modelrollout.operator.status.EventSpec;
import io.modelrollout.operator.status.ModeStatus;
import io.modelrollout.operator.status.StatusEvents;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A simulated fleet for Edge engine tests: nodes (online or not, in the fleet or not, a topology
 * class, labels), the DaemonSet controller (a revision's pod runs on a node whose revision label,
 * or with maxSurge 1 whose surge label, names it; a pod that is no longer wanted terminates and is
 * gone at the next {@link #tick}), pods that become ready on command (never on an offline node).
 * After every reconcile it checks: never more pods on a node than 1 + maxSurge, at most
 * maxUnavailableNodes nodes updating at once during a rollout, labels set by someone else
 * untouched.
 */
final class FleetWorld {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String KEY = "modelrollout.io/kiosk-revision";
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final EdgeSpec spec = new EdgeSpec();
  RolloutPolicySpec policy;
  String version = "1.0.0";
  String action;
  String statusJson;
  ModeDecision last;
  final List<EventSpec> events = new ArrayList<>();
  final Map<String, Double> gateValues = new HashMap<>();
  final Map<String, SimNode> nodes = new LinkedHashMap<>();
  final Set<String> daemonSets = new LinkedHashSet<>();
  final List<Map<String, String>> labelHistory = new ArrayList<>();
  int maxUpdating;

  static final class SimNode {
    String name;
    boolean eligible = true;
    boolean online = true;
    String topology = "";
    String revision; // the operator's label
    String surge;
    String foreign; // a value of the revision label set by someone else
    boolean broken; // its pods never become ready
    final Map<String, Pod> pods = new LinkedHashMap<>();
  }

  static final class Pod {
    boolean ready;
    boolean terminating;
  }

  FleetWorld(RolloutPolicySpec policy, int nodes) {
    this.policy = policy;
    spec.nodeSelector = Map.of("fleet", "kiosk");
    for (int i = 0; i < nodes; i++) {
      addNode(String.format("kiosk-%02d", i));
    }
  }

  SimNode addNode(String name) {
    SimNode n = new SimNode();
    n.name = name;
    nodes.put(name, n);
    return n;
  }

  static String revisionOf(String version) {
    return "rev-" + version.replace('.', '-');
  }

  ModelDeploymentStatus status() {
    try {
      return statusJson == null ? null : JSON.readValue(statusJson, ModelDeploymentStatus.class);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  EdgeObserved observed() {
    List<EdgeObserved.Node> list = new ArrayList<>();
    for (SimNode n : nodes.values()) {
      if (!n.eligible && n.revision == null && n.surge == null && n.foreign == null) {
        continue;
      }
      Map<String, Boolean> pods = new LinkedHashMap<>();
      n.pods.forEach((rev, p) -> pods.put(rev, p.ready && !p.terminating));
      list.add(
          new EdgeObserved.Node(
              n.name,
              n.eligible,
              n.online,
              n.topology,
              n.revision,
              n.surge,
              n.foreign != null,
              pods));
    }
    return new EdgeObserved(spec, KEY, list, Set.copyOf(daemonSets));
  }

  RolloutSnapshot snapshot(Map<String, Measurement> m) {
    return new RolloutSnapshot(
        3,
        "1",
        version,
        revisionOf(version),
        1,
        false,
        policy,
        false,
        List.of(),
        Map.of(),
        status(),
        action,
        m);
  }

  ModeDecision step() {
    ModeEngine engine = new ModeEngine(clock);
    EdgeObserved before = observed();
    Map<String, Measurement> m = new HashMap<>();
    for (GateSpec g : engine.gatesDue(snapshot(Map.of()), before)) {
      Double v = gateValues.get(g.name);
      m.put(
          g.name, v == null ? new Measurement.NoData("q", "none") : new Measurement.Value(v, "q"));
    }
    ModeDecision d = engine.decide(snapshot(m), before);
    ModeIntent.Edge intent = (ModeIntent.Edge) d.intent();
    apply(intent);
    ModelDeploymentStatus old = status();
    ModelDeploymentStatus st =
        ModeStatus.applied(
            d.decision().status(),
            d.decision().facts(),
            DeploymentMode.Edge,
            null,
            false,
            clock.instant().truncatedTo(ChronoUnit.SECONDS));
    events.addAll(StatusEvents.between(old, st));
    if (d.decision().actionConsumed()) {
      action = null;
      if (st.lastAction != null) st.lastAction.pending = null;
    }
    try {
      statusJson = JSON.writeValueAsString(st);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    last = new ModeDecision(d.decision().withStatus(st), intent);
    check(st);
    return last;
  }

  private void apply(ModeIntent.Edge intent) {
    daemonSets.addAll(intent.daemonSets());
    Map<String, String> snapshot = new LinkedHashMap<>();
    intent
        .labels()
        .forEach(
            (name, l) -> {
              SimNode n = nodes.get(name);
              assertThat(n.foreign).as("a label someone else set is left alone").isNull();
              n.revision = l.revision();
              n.surge = l.surge();
            });
    nodes.values().forEach(n -> snapshot.put(n.name, n.revision + "/" + n.surge));
    labelHistory.add(snapshot);
    daemonSets.retainAll(intent.daemonSets());
    daemonSetController();
  }

  /** What the DaemonSet controller does: wanted pods are created, unwanted ones terminate. */
  void daemonSetController() {
    for (SimNode n : nodes.values()) {
      for (var e : n.pods.entrySet()) {
        if (!wanted(n, e.getKey())) {
          e.getValue().terminating = true;
        }
      }
      for (String rev : daemonSets) {
        if (wanted(n, rev) && !n.pods.containsKey(rev)) {
          n.pods.put(rev, new Pod());
        }
      }
      assertThat(n.pods.size())
          .as("pods on node %s (%s): at most 1 + maxSurge", n.name, n.pods.keySet())
          .isLessThanOrEqualTo(1 + spec.maxSurgeOrDefault());
    }
  }

  private boolean wanted(SimNode n, String rev) {
    return daemonSets.contains(rev)
        && n.eligible
        && (rev.equals(n.revision) || (spec.maxSurgeOrDefault() > 0 && rev.equals(n.surge)));
  }

  private void check(ModelDeploymentStatus st) {
    if (st.canary == null) {
      return;
    }
    String c = st.canary.revision;
    int updating = 0;
    for (SimNode n : nodes.values()) {
      boolean toCanary = c.equals(n.surge) || (c.equals(n.revision) && !readyOn(n, c));
      if (n.online && n.eligible && toCanary) updating++;
    }
    maxUpdating = Math.max(maxUpdating, updating);
    assertThat(updating)
        .as("nodes updating at once")
        .isLessThanOrEqualTo(spec.maxUnavailableNodesOrDefault());
  }

  private static boolean readyOn(SimNode n, String rev) {
    Pod p = n.pods.get(rev);
    return p != null && p.ready && !p.terminating;
  }

  /** Terminating pods go; pods on online nodes become ready; the DaemonSets catch up. */
  void tick() {
    for (SimNode n : nodes.values()) {
      if (!n.online) continue;
      n.pods.values().removeIf(p -> p.terminating);
      n.pods.values().forEach(p -> p.ready = !n.broken);
    }
    daemonSetController();
  }

  /** Reconciles and ticks until nothing changes. */
  ModeDecision settle() {
    ModeDecision d = step();
    for (int i = 0; i < 200; i++) {
      String before = statusJson + labels();
      tick();
      d = step();
      if (before.equals(statusJson + labels())) {
        return d;
      }
    }
    throw new AssertionError("the fleet did not settle: " + statusJson);
  }

  String labels() {
    StringBuilder sb = new StringBuilder();
    nodes
        .values()
        .forEach(
            n ->
                sb.append(n.name)
                    .append('=')
                    .append(n.revision)
                    .append('/')
                    .append(n.surge)
                    .append(n.pods.keySet())
                    .append(';'));
    return sb.toString();
  }

  /** Nodes labeled for {@code revision}. */
  List<String> on(String revision) {
    return nodes.values().stream()
        .filter(n -> Objects.equals(revision, n.revision))
        .map(n -> n.name)
        .toList();
  }

  void advance(Duration d) {
    clock.advance(d);
  }
}
