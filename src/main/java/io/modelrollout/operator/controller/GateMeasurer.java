package io.modelrollout.operator.controller;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.modelrollout.operator.analysis.GateRunner;
import io.modelrollout.operator.analysis.GateSchedule;
import io.modelrollout.operator.analysis.MetricProvider;
import io.modelrollout.operator.api.GateSpec;
import io.modelrollout.operator.api.GateStatus;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.rollout.RolloutSnapshot;
import io.modelrollout.operator.telemetry.RolloutMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures the gates the engine says are due, with template variables from the status. The queries
 * run on the {@link MeasurementQueue}, off the reconcile thread: a reconcile takes the measurements
 * that are ready and starts the others, and the completion of one reconciles again.
 */
public class GateMeasurer {
  private final GateRunner runner;
  private final RolloutMetrics metrics;
  private final GateTargets targets;
  private final MeasurementQueue queue;

  public GateMeasurer(
      MetricProvider provider,
      RolloutMetrics metrics,
      GateTargets targets,
      MeasurementQueue queue) {
    this.runner = new GateRunner(provider);
    this.metrics = metrics;
    this.targets = targets;
    this.queue = queue;
  }

  /** The snapshot with the measurements of {@code due} that are ready added. */
  public RolloutSnapshot measure(
      ModelDeployment md, RolloutSnapshot s, List<GateSpec> due, Context<ModelDeployment> ctx) {
    ResourceID id = ResourceID.fromResource(md);
    if (due.isEmpty()) {
      queue.collect(id, List.of());
      return s;
    }
    ModelDeploymentStatus st = s.status();
    List<MeasurementQueue.Job> jobs = new ArrayList<>();
    for (GateSpec g : due) {
      jobs.add(job(md, st, g, ctx));
    }
    Map<String, io.modelrollout.operator.analysis.Measurement> ready = queue.collect(id, jobs);
    recordLag(st, due, ready.keySet());
    return s.withMeasurements(ready);
  }

  /**
   * Schedules the next measurement of each gate at its due time ({@code next}, from the engine),
   * with what {@code after} (the status this reconcile leaves) makes of it: its answer starts the
   * reconcile that takes it. Returns the latest instant by which all of them have answered or timed
   * out, or null when none is scheduled.
   */
  public Instant schedule(
      ModelDeployment md,
      ModelDeploymentStatus after,
      Map<GateSpec, Instant> next,
      Instant now,
      Context<ModelDeployment> ctx) {
    ResourceID id = ResourceID.fromResource(md);
    Instant answered = null;
    for (Map.Entry<GateSpec, Instant> e : next.entrySet()) {
      MeasurementQueue.Job job = job(md, after, e.getKey(), ctx);
      Duration wait = Duration.between(now, e.getValue());
      queue.schedule(id, md.getMetadata().getUid(), job, wait.isNegative() ? Duration.ZERO : wait);
      Instant by =
          e.getValue()
              .plus(job.timeout())
              .plus(MeasurementQueue.GRACE)
              .plus(MeasurementQueue.AFTER_DUE);
      answered = answered == null || by.isAfter(answered) ? by : answered;
    }
    return answered;
  }

  private MeasurementQueue.Job job(
      ModelDeployment md, ModelDeploymentStatus st, GateSpec g, Context<ModelDeployment> ctx) {
    GateRunner.Variables vars =
        new GateRunner.Variables(
            variables(md, st.canary.version, st.canary.revision, "canary"),
            variables(md, st.stable.version, st.stable.revision, "stable"));
    String ns = md.getMetadata().getNamespace();
    return new MeasurementQueue.Job(
        g.name,
        key(st, g),
        targets.timeout(g),
        () -> runner.measureOne(g, vars, x -> targets.target(x, ns, ctx.getClient())));
  }

  /** How late each taken measurement is against its gate's due time. */
  private void recordLag(
      ModelDeploymentStatus st, List<GateSpec> due, java.util.Set<String> taken) {
    if (taken.isEmpty() || st.stepStartedAt == null) {
      return;
    }
    java.time.Instant started = java.time.Instant.parse(st.stepStartedAt);
    java.time.Instant now = java.time.Instant.now();
    for (GateSpec g : due) {
      if (taken.contains(g.name)) {
        GateSchedule.nextDue(g, GateSchedule.find(st.gates, g.name), started)
            .ifPresent(t -> metrics.gateLag(java.time.Duration.between(t, now)));
      }
    }
  }

  /** Forgets the measurements of a ModelDeployment that is gone. */
  public void forget(ResourceID id, String uid) {
    queue.forget(id, uid);
  }

  /**
   * One measurement round of a gate: its canary, stage, the last time it was measured, and its
   * definition (a policy edited since a measurement was scheduled gets a new one).
   */
  private static String key(ModelDeploymentStatus st, GateSpec g) {
    GateStatus last = GateSchedule.find(st.gates, g.name);
    return Integer.toHexString(io.modelrollout.operator.support.Json.canonical(g).hashCode())
        + "/"
        + st.canary.revision
        + "/"
        + st.currentStepIndex
        + "/"
        + st.stepStartedAt
        + "/"
        + g.name
        + "/"
        + (last == null || last.measuredAt == null ? "-" : last.measuredAt);
  }

  /**
   * Counts the evaluations the engine made from this snapshot's measurements, with each gate's
   * bounds from the policy, and drops the series of gates the policy no longer defines.
   */
  public void recordMetrics(ModelDeployment md, RolloutSnapshot s, ModelDeploymentStatus after) {
    String ns = md.getMetadata().getNamespace();
    String name = md.getMetadata().getName();
    List<GateSpec> defined =
        s.policy() == null || s.policy().gates == null ? List.of() : s.policy().gates;
    for (String measured : s.measurements().keySet()) {
      for (GateStatus g : after.gates) {
        if (measured.equals(g.name)) {
          metrics.gateEvaluated(ns, name, g, spec(defined, g.name));
        }
      }
    }
    if (s.policy() != null || s.problems() == null || s.problems().isEmpty()) {
      // (not while a referenced policy is missing: its gates may come back)
      metrics.retainGates(ns, name, gate -> spec(defined, gate) != null);
    }
  }

  private static GateSpec spec(List<GateSpec> gates, String name) {
    for (GateSpec g : gates) {
      if (name.equals(g.name)) {
        return g;
      }
    }
    return null;
  }

  private static Map<String, String> variables(
      ModelDeployment md, String version, String revision, String variant) {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("name", md.getMetadata().getName());
    v.put("namespace", md.getMetadata().getNamespace());
    v.put("model", md.getSpec().model.name);
    v.put("version", version);
    v.put("versionLabel", io.modelrollout.operator.resources.Labels.labelValue(version));
    v.put("revision", revision);
    v.put("variant", variant);
    return v;
  }
}
