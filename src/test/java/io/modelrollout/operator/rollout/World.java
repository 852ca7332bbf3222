package io.modelrollout.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelrollout.operator.analysis.Measurement;
import io.modelrollout.operator.api.GateSpec;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.api.RolloutPolicySpec;
import io.modelrollout.operator.api.Weights;
import io.modelrollout.operator.status.StatusAggregator;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A simulated cluster for engine tests. The engine's decisions become pods: new pods are not ready
 * until {@link #podsReady} (on command), a number of them with {@link #podsReady(String, int)}, or
 * by themselves {@link #readyAfter} a delay; pods of a {@link #held} revision never become ready.
 * Scaling down removes unready pods first, as the Deployment controller does. Gates answer scripted
 * values, the route carries exactly the decided split, and the status survives only as JSON between
 * steps, as in the API server. After every step the world checks the capacity rules: each side that
 * takes traffic has the ready pods its weight needs, and no scale-down takes ready pods below
 * {@code replicas - maxUnavailable} (unless a scale-down delay ran out).
 */
final class World {
  static final ObjectMapper JSON = new ObjectMapper();
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final Map<String, List<Instant>> pods = new LinkedHashMap<>(); // ready time per pod, null: not
  final Map<String, Duration> readyAfter = new HashMap<>();

  /** How long new pods of a revision not in {@link #readyAfter} take; null: until told. */
  Duration podsReadyAfter;

  final Map<String, String> versions = new HashMap<>();
  final Map<String, Double> gateValues = new HashMap<>();
  final Map<String, Measurement> gateAnswers = new HashMap<>();
  final List<String> measured = new ArrayList<>();
  final Set<String> held = new HashSet<>();
  final Map<String, LiveRevision> live = new LinkedHashMap<>();
  String statusJson;
  String version = "1.0.0";
  int replicas = 4;
  boolean specPaused;
  boolean splitByPods;
  boolean checkCapacity = true;

  /** Checks that stable and canary never ask for more than replicas + maxSurge pods. */
  boolean checkSurge;

  /** The operator dies after writing status, before it removes the action annotation. */
  boolean crashBeforeAnnotationRemoval;

  RolloutPolicySpec policy;
  List<String> problems = List.of();
  String action;
  RolloutDecision last;
  int resourceVersion = 100;

  World(RolloutPolicySpec policy) {
    this.policy = policy;
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

  RolloutSnapshot snapshot(Map<String, Measurement> measurements) {
    refreshLive();
    return new RolloutSnapshot(
        7,
        String.valueOf(resourceVersion),
        version,
        revisionOf(version),
        replicas,
        specPaused,
        policy,
        splitByPods,
        problems,
        Map.copyOf(live),
        status(),
        action,
        measurements);
  }

  /**
   * One reconcile with a fresh engine (status is the only memory), then the pods follow it; when
   * the engine asks to look again at once (a step's weight just went into force), that reconcile
   * follows too, as the operator's does 200 ms later.
   */
  RolloutDecision step() {
    RolloutDecision d = reconcile();
    for (int i = 0; i < 5 && RolloutEngine.SETTLE.equals(d.requeueAfter()); i++) {
      settled.add(d);
      d = reconcile();
    }
    return d;
  }

  /** Decisions that put a step's weight in force, followed at once by another reconcile. */
  final List<RolloutDecision> settled = new ArrayList<>();

  private RolloutDecision reconcile() {
    RolloutEngine engine = new RolloutEngine(clock);
    RolloutSnapshot pre = snapshot(Map.of());
    Map<String, Measurement> m = new HashMap<>();
    for (GateSpec g : engine.gatesDue(pre)) {
      measured.add(g.name);
      Measurement answer = gateAnswers.get(g.name);
      if (answer == null) {
        Double v = gateValues.get(g.name);
        answer =
            v == null
                ? new Measurement.NoData("q", "no series")
                : new Measurement.Value(v, "q(" + g.name + ")");
      }
      m.put(g.name, answer);
    }
    RolloutSnapshot snapshot = snapshot(m);
    RolloutDecision d = engine.decide(snapshot);
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    ModelDeploymentStatus st;
    if (d.applyResources()) {
      Map<String, Integer> readyBefore = readyCounts();
      applyPods(d);
      Split split = d.split();
      Weights w = new Weights(100 - split.canaryWeight(), split.canaryWeight());
      w.mirror = split.mirrorPercent() > 0 ? split.mirrorPercent() : null;
      w.provider = splitByPods ? "ReplicaRatio" : "GatewayAPI";
      w.verified = true;
      w.actualCanary = split.canaryWeight();
      st = StatusAggregator.applied(d.status(), d.facts(), w, List.of(), "sel", null, now);
      if (checkCapacity) {
        checkCapacity(snapshot, d, readyBefore);
      }
    } else {
      st = StatusAggregator.invalid(d.status(), snapshot.generation(), problems, now);
    }
    if (d.actionConsumed() && !crashBeforeAnnotationRemoval) {
      action = null; // the reconciler removes the annotation, then clears pending
      if (st.lastAction != null) {
        st.lastAction.pending = null;
      }
    }
    try {
      statusJson = JSON.writeValueAsString(st);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    resourceVersion++;
    last = d.withStatus(st);
    return last;
  }

  private void applyPods(RolloutDecision d) {
    Instant now = clock.instant();
    pods.keySet().removeIf(rev -> !d.replicas().containsKey(rev));
    d.replicas()
        .forEach(
            (rev, n) -> {
              List<Instant> list = pods.computeIfAbsent(rev, r -> new ArrayList<>());
              versions.putIfAbsent(rev, version);
              while (list.size() < n) {
                Duration delay = readyAfter.getOrDefault(rev, podsReadyAfter);
                list.add(delay == null || held.contains(rev) ? null : now.plus(delay));
              }
              while (list.size() > n) { // unready pods go first
                int victim = list.indexOf(null);
                if (victim < 0) {
                  victim = list.size() - 1;
                  for (int i = 0; i < list.size(); i++) {
                    if (list.get(i).isAfter(now)) victim = i;
                  }
                }
                list.remove(victim);
              }
            });
    refreshLive();
  }

  /** Lets every pod of every revision that is not held become ready now. */
  void podsReady() {
    Instant now = clock.instant();
    pods.forEach((rev, list) -> list.replaceAll(t -> held.contains(rev) ? t : now));
    refreshLive();
  }

  /** Lets {@code count} more pods of {@code revision} become ready now. */
  void podsReady(String revision, int count) {
    Instant now = clock.instant();
    List<Instant> list = pods.getOrDefault(revision, List.of());
    for (int i = 0; i < list.size() && count > 0; i++) {
      if (list.get(i) == null || list.get(i).isAfter(now)) {
        list.set(i, now);
        count--;
      }
    }
    refreshLive();
  }

  /** Makes {@code count} ready pods of {@code revision} unready (a node went away). */
  void podsLost(String revision, int count) {
    List<Instant> list = pods.getOrDefault(revision, List.of());
    for (int i = 0; i < list.size() && count > 0; i++) {
      if (list.get(i) != null) {
        list.set(i, null);
        count--;
      }
    }
    refreshLive();
  }

  int ready(String revision) {
    refreshLive();
    LiveRevision l = live.get(revision);
    return l == null ? 0 : l.readyReplicas();
  }

  int desired(String revision) {
    return pods.getOrDefault(revision, List.of()).size();
  }

  void advance(Duration d) {
    clock.advance(d);
    refreshLive();
  }

  /** Steps, letting all pods become ready after each, until nothing changes (at most n steps). */
  RolloutDecision settle() {
    RolloutDecision d = step();
    for (int i = 0; i < 20; i++) {
      podsReady();
      String before = statusJson;
      Map<String, Integer> pods = d.replicas();
      d = step();
      if (before.equals(statusJson) && pods.equals(d.replicas())) {
        return d;
      }
    }
    throw new AssertionError("the world did not settle: " + statusJson);
  }

  private Map<String, Integer> readyCounts() {
    refreshLive();
    Map<String, Integer> out = new HashMap<>();
    live.forEach((rev, l) -> out.put(rev, l.readyReplicas()));
    return out;
  }

  private void refreshLive() {
    Instant now = clock.instant();
    live.clear();
    pods.forEach(
        (rev, list) -> {
          int ready = (int) list.stream().filter(t -> t != null && !t.isAfter(now)).count();
          live.put(
              rev,
              new LiveRevision(
                  rev, versions.getOrDefault(rev, version), list.size(), ready, false));
        });
  }

  /**
   * The capacity rules after a decision was applied: a side that takes traffic has a ready pod
   * (always), each weighted side has the ready pods its weight needs (when the pods carry some
   * weight), and a scale-down never took ready pods below replicas - maxUnavailable.
   */
  private void checkCapacity(
      RolloutSnapshot before, RolloutDecision d, Map<String, Integer> readyBefore) {
    Capacity c = RolloutPlan.of(policy).capacity(replicas);
    int weight = d.split().canaryWeight();
    String stable = d.stableRevision();
    String canary = d.canaryRevision();
    int stableReady = ready(stable);
    int canaryReady = canary == null ? 0 : ready(canary);
    String at = "at step '" + d.status().currentStep + "' (" + live + ")";
    // whatever the pods can carry, no weight goes to a side without a ready pod
    assertThat(weight > 0 && canaryReady == 0)
        .as("%d%% to a canary without ready pods %s", weight, at)
        .isFalse();
    // a shadow never takes live traffic, even when stable has lost every pod (its answers are
    // discarded): that outage is stable's, not the rollout's
    boolean shadowing =
        canary != null
            && d.status().currentStepIndex != null
            && RolloutPlan.of(policy).shadowing(d.status().currentStepIndex);
    assertThat(canaryReady > 0 && weight < 100 && stableReady == 0 && !shadowing)
        .as("%d%% to a stable without ready pods %s", 100 - weight, at)
        .isFalse();
    boolean someWeightCarried = false;
    for (int x = 0; x <= 100; x++) {
      someWeightCarried |= canary != null && c.carries(x, stableReady, canaryReady);
    }
    if (weight > 0 && someWeightCarried) {
      assertThat(canaryReady)
          .as("ready canary pods for %d%% %s", weight, at)
          .isGreaterThanOrEqualTo(c.minReady(weight));
    }
    if (canary != null && weight < 100 && someWeightCarried) {
      assertThat(stableReady)
          .as("ready stable pods for %d%% %s", 100 - weight, at)
          .isGreaterThanOrEqualTo(c.minReady(100 - weight));
    }
    RolloutPlan plan = RolloutPlan.of(policy);
    if (canary != null && !plan.atomic() && checkSurge) {
      int asked = d.replicas().get(stable) + d.replicas().get(canary);
      assertThat(asked).as("pods asked for %s", at).isLessThanOrEqualTo(replicas + plan.surge());
    }
    ModelDeploymentStatus old = before.status();
    int total = stableReady + canaryReady;
    for (Map.Entry<String, Integer> e : readyBefore.entrySet()) {
      int now = ready(e.getKey());
      boolean expired =
          old != null
              && old.scaleDown.stream()
                  .anyMatch(
                      s ->
                          s.revision.equals(e.getKey())
                              && !Instant.parse(s.at).isAfter(clock.instant()));
      boolean servedTraffic =
          old != null
              && old.stable != null
              && (e.getKey().equals(old.stable.revision)
                  || (old.canary != null && e.getKey().equals(old.canary.revision)));
      if (now < e.getValue() && servedTraffic && !expired) {
        assertThat(total)
            .as("ready pods after scaling %s down %s", e.getKey(), at)
            .isGreaterThanOrEqualTo(replicas - RolloutPlan.of(policy).unavailable());
      }
    }
  }
}
