package io.modelrollout.operator.rollout;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelrollout.operator.api.GateSpec;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.api.RolloutPolicySpec;
import io.modelrollout.operator.metrics.Measurement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A simulated cluster for engine tests: the engine's decisions become Deployments whose pods turn
 * ready on the next step (unless held), gates answer scripted values, and the status survives only
 * as JSON between steps, the way it survives in the API server.
 */
final class World {
  static final ObjectMapper JSON = new ObjectMapper();
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final Map<String, LiveRevision> live = new LinkedHashMap<>();
  final Map<String, Double> gateValues = new HashMap<>();
  final Map<String, Measurement> gateAnswers = new HashMap<>();
  final List<String> measured = new ArrayList<>();
  final Set<String> held = new java.util.HashSet<>();
  String statusJson;
  String version = "1.0.0";
  int replicas = 4;
  boolean specPaused;
  RolloutPolicySpec policy;
  List<String> problems = List.of();
  String action;
  RolloutDecision last;

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
    return new RolloutSnapshot(
        7,
        version,
        revisionOf(version),
        replicas,
        specPaused,
        policy,
        problems,
        Map.copyOf(live),
        status(),
        action,
        measurements);
  }

  /** One reconcile with a fresh engine (status is the only memory), then pods catch up. */
  RolloutDecision step() {
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
    RolloutDecision d = engine.decide(snapshot(m));
    try {
      statusJson = JSON.writeValueAsString(d.status());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    if (d.actionConsumed()) {
      action = null;
    }
    if (d.applyResources()) {
      Map<String, LiveRevision> next = new LinkedHashMap<>();
      d.replicas()
          .forEach(
              (rev, n) -> {
                LiveRevision before = live.get(rev);
                int ready =
                    held.contains(rev) || before == null ? 0 : Math.min(n, before.readyReplicas());
                String v = before != null ? before.version() : version;
                next.put(rev, new LiveRevision(rev, v, n, ready, false));
              });
      live.clear();
      live.putAll(next);
    }
    last = d;
    return d;
  }

  /** Lets the pods of every revision that is not held become ready. */
  void podsReady() {
    live.replaceAll(
        (rev, l) ->
            new LiveRevision(
                rev, l.version(), l.replicas(), held.contains(rev) ? 0 : l.replicas(), false));
  }

  void advance(Duration d) {
    clock.advance(d);
  }
}
