package io.modelrollout.operator.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.modelrollout.operator.api.GateSpec;
import io.modelrollout.operator.api.GateStatus;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.status.EventSpec;
import io.modelrollout.operator.status.Reasons;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Operator metrics per ModelDeployment on /q/metrics: phase, step, weights, gate values, thresholds
 * and verdicts, promotions, rollbacks and rollout duration.
 */
public class RolloutMetrics {
  private final MeterRegistry registry;
  private final Map<String, AtomicReference<ModelDeploymentStatus>> statuses =
      new ConcurrentHashMap<>();

  public RolloutMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Records the status now in force and the events its change produced. */
  public void record(
      String namespace,
      String name,
      ModelDeploymentStatus before,
      ModelDeploymentStatus st,
      List<EventSpec> events) {
    String key = namespace + "/" + name;
    AtomicReference<ModelDeploymentStatus> ref =
        statuses.computeIfAbsent(key, k -> register(namespace, name));
    ref.set(st);
    Tags tags = Tags.of("namespace", namespace, "name", name);
    for (EventSpec e : events) {
      switch (e.reason()) {
        case Reasons.ROLLOUT_PROMOTED -> count("modelrollout_promotions_total", tags);
        case Reasons.ROLLED_BACK -> count("modelrollout_rollbacks_total", tags);
        case Reasons.ABORTED -> count("modelrollout_aborts_total", tags);
        case Reasons.EXPERIMENT_DECIDED, Reasons.SAMPLE_RATIO_MISMATCH ->
            count(
                "modelrollout_experiment_decisions_total",
                tags.and(
                    "decision",
                    st.experiment == null ? "Unknown" : String.valueOf(st.experiment.decision)));
        default -> {}
      }
    }
    String started = before == null ? null : before.rolloutStartedAt;
    if (started != null && !started.equals(st.rolloutStartedAt) && !st.history.isEmpty()) {
      var ended = st.history.get(0);
      rolloutFinished(
          namespace,
          name,
          String.valueOf(ended.outcome),
          Instant.parse(started),
          Instant.parse(ended.at));
    }
  }

  /**
   * Counts a reconcile that failed and was surfaced on the ModelDeployment ({@code kind}: api,
   * conflict or unexpected). The Java Operator SDK never sees these: the reconciler handles them.
   */
  public void reconcileFailed(String namespace, String name, String kind) {
    count(
        "modelrollout_reconcile_errors_total",
        Tags.of("namespace", namespace, "name", name, "kind", kind));
  }

  /**
   * Records how late a gate was measured: from when it was due to when its value was taken (the
   * query's time included), over all ModelDeployments.
   */
  public void gateLag(Duration lag) {
    Timer.builder("modelrollout_gate_lag")
        .description("From a gate's due time to its measurement being taken")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(10))
        .maximumExpectedValue(Duration.ofSeconds(60))
        .register(registry)
        .record(lag.isNegative() ? Duration.ZERO : lag);
  }

  /**
   * Exposes the events the recorder dropped because their lane stayed full (an API server that took
   * no events for seconds): {@code modelrollout_events_dropped_total}, over all objects.
   */
  public <T> void eventsDropped(T source, java.util.function.ToLongFunction<T> dropped) {
    // Micrometer holds the source weakly: it must be an object that lives as long as the operator
    io.micrometer.core.instrument.FunctionCounter.builder(
            "modelrollout_events_dropped", source, d -> dropped.applyAsLong(d))
        .description("Kubernetes Events not sent: their lane stayed full (see the log)")
        .register(registry);
  }

  /** Counts one reconcile of a ModelDeployment. */
  public void reconciled(String namespace, String name) {
    count("modelrollout_reconciles_total", Tags.of("namespace", namespace, "name", name));
  }

  /**
   * Records one gate evaluation with its verdict and value and, when {@code spec} has them, the
   * gate's absolute bounds ({@code min}, {@code max}) as {@code modelrollout_gate_threshold}. A
   * bound the gate no longer has loses its series.
   */
  public void gateEvaluated(String namespace, String name, GateStatus g, GateSpec spec) {
    Tags tags =
        Tags.of(
            "namespace",
            namespace,
            "name",
            name,
            "gate",
            g.name,
            "verdict",
            String.valueOf(g.verdict));
    count("modelrollout_gate_evaluations_total", tags);
    GateMeters meters =
        gates
            .computeIfAbsent(namespace + "/" + name, k -> new ConcurrentHashMap<>())
            .computeIfAbsent(g.name, k -> new GateMeters());
    Tags gateTags = Tags.of("namespace", namespace, "name", name, "gate", g.name);
    if (g.value != null) {
      meters.value(registry, gateTags, g.value);
    }
    meters.bound(registry, gateTags, "min", spec == null ? null : spec.min);
    meters.bound(registry, gateTags, "max", spec == null ? null : spec.max);
  }

  /**
   * Drops the per-gate series (value, thresholds, evaluations) of the gates of a ModelDeployment
   * that {@code defined} rejects: its policy no longer defines them.
   */
  public void retainGates(String namespace, String name, Predicate<String> defined) {
    Map<String, GateMeters> known = gates.get(namespace + "/" + name);
    if (known == null) {
      return;
    }
    known
        .keySet()
        .removeIf(
            gate -> {
              if (defined.test(gate)) {
                return false;
              }
              registry.getMeters().stream()
                  .filter(
                      m ->
                          gate.equals(m.getId().getTag("gate"))
                              && namespace.equals(m.getId().getTag("namespace"))
                              && name.equals(m.getId().getTag("name")))
                  .toList()
                  .forEach(registry::remove);
              return true;
            });
  }

  /** The gauges of one gate: its last value and its bounds. */
  private static final class GateMeters {
    private final AtomicReference<Double> value = new AtomicReference<>();
    private boolean valueRegistered;
    private final Map<String, AtomicReference<Double>> bounds = new ConcurrentHashMap<>();
    private final Map<String, Gauge> boundGauges = new ConcurrentHashMap<>();

    synchronized void value(MeterRegistry registry, Tags tags, double v) {
      value.set(v);
      if (!valueRegistered) {
        Gauge.builder("modelrollout_gate_value", value, x -> x.get() == null ? Double.NaN : x.get())
            .tags(tags)
            .description("The last value a gate measured")
            .register(registry);
        valueRegistered = true;
      }
    }

    synchronized void bound(MeterRegistry registry, Tags tags, String bound, Double v) {
      if (v == null) {
        Gauge gone = boundGauges.remove(bound);
        if (gone != null) {
          registry.remove(gone);
          bounds.remove(bound);
        }
        return;
      }
      bounds.computeIfAbsent(bound, b -> new AtomicReference<>()).set(v);
      boundGauges.computeIfAbsent(
          bound,
          b ->
              Gauge.builder(
                      "modelrollout_gate_threshold",
                      bounds.get(b),
                      x -> x.get() == null ? Double.NaN : x.get())
                  .tags(tags.and("bound", b))
                  .description("A gate's absolute bound: min (value must be at least) or max")
                  .register(registry));
    }
  }

  /** ModelDeployment (namespace/name) to gate name to its gauges. */
  private final Map<String, Map<String, GateMeters>> gates = new ConcurrentHashMap<>();

  /** Records how long a finished rollout took. */
  private void rolloutFinished(
      String namespace, String name, String outcome, Instant started, Instant ended) {
    Timer.builder("modelrollout_rollout_duration")
        .tags("namespace", namespace, "name", name, "outcome", outcome)
        .register(registry)
        .record(Duration.between(started, ended));
  }

  /** Forgets a deleted ModelDeployment. */
  public void forget(String namespace, String name) {
    statuses.remove(namespace + "/" + name);
    registry.getMeters().stream()
        .filter(
            m ->
                namespace.equals(m.getId().getTag("namespace"))
                    && name.equals(m.getId().getTag("name")))
        .toList()
        .forEach(registry::remove);
    gates.remove(namespace + "/" + name);
  }

  private void count(String metric, Tags tags) {
    Counter.builder(metric).tags(tags).register(registry).increment();
  }

  private AtomicReference<ModelDeploymentStatus> register(String namespace, String name) {
    AtomicReference<ModelDeploymentStatus> ref = new AtomicReference<>();
    Tags tags = Tags.of("namespace", namespace, "name", name);
    for (Phase p : Phase.values()) {
      Gauge.builder("modelrollout_phase", ref, r -> r.get() != null && r.get().phase == p ? 1 : 0)
          .tags(tags.and("phase", p.name()))
          .description("1 for the ModelDeployment's current phase")
          .register(registry);
    }
    Gauge.builder("modelrollout_canary_weight", ref, r -> weight(r.get(), true))
        .tags(tags)
        .description("Percentage of traffic on the canary")
        .register(registry);
    Gauge.builder("modelrollout_stable_weight", ref, r -> weight(r.get(), false))
        .tags(tags)
        .description("Percentage of traffic on the stable revision")
        .register(registry);
    Gauge.builder(
            "modelrollout_step_index",
            ref,
            r ->
                r.get() == null || r.get().currentStepIndex == null ? -1 : r.get().currentStepIndex)
        .tags(tags)
        .description("Current rollout step (0-based), -1 when no rollout runs")
        .register(registry);
    return ref;
  }

  private static double weight(ModelDeploymentStatus s, boolean canary) {
    if (s == null || s.weights == null) {
      return canary ? 0 : 100;
    }
    Integer w = canary ? s.weights.canary : s.weights.stable;
    return w == null ? 0 : w;
  }
}
