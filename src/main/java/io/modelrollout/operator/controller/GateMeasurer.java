package io.modelrollout.operator.controller;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.modelrollout.operator.analysis.GateRunner;
import io.modelrollout.operator.analysis.Measurement;
import io.modelrollout.operator.analysis.MetricProvider;
import io.modelrollout.operator.api.GateSpec;
import io.modelrollout.operator.api.GateStatus;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.rollout.RolloutSnapshot;
import io.modelrollout.operator.telemetry.RolloutMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Measures the gates the engine says are due, with template variables from the status. */
public class GateMeasurer {
  private final GateRunner runner;
  private final RolloutMetrics metrics;
  private final GateTargets targets;

  public GateMeasurer(MetricProvider provider, RolloutMetrics metrics, GateTargets targets) {
    this.runner = new GateRunner(provider);
    this.metrics = metrics;
    this.targets = targets;
  }

  /** The snapshot with measurements of {@code due} added. */
  public RolloutSnapshot measure(
      ModelDeployment md, RolloutSnapshot s, List<GateSpec> due, Context<ModelDeployment> ctx) {
    if (due.isEmpty()) {
      return s;
    }
    ModelDeploymentStatus st = s.status();
    GateRunner.Variables vars =
        new GateRunner.Variables(
            variables(md, st.canary.version, st.canary.revision, "canary"),
            variables(md, st.stable.version, st.stable.revision, "stable"));
    Map<String, Measurement> m =
        runner.measure(
            due, vars, g -> targets.target(g, md.getMetadata().getNamespace(), ctx.getClient()));
    return s.withMeasurements(m);
  }

  /** Counts the evaluations the engine made from this snapshot's measurements. */
  public void recordMetrics(ModelDeployment md, RolloutSnapshot s, ModelDeploymentStatus after) {
    for (String name : s.measurements().keySet()) {
      for (GateStatus g : after.gates) {
        if (name.equals(g.name)) {
          metrics.gateEvaluated(md.getMetadata().getNamespace(), md.getMetadata().getName(), g);
        }
      }
    }
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
