package io.modelrollout.operator.analysis;

import io.modelrollout.operator.api.GateSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures due gates: fills the query template for the canary (and, for a relative gate, for the
 * stable revision) and asks the provider; a comparison gate reads both distributions, an A/B metric
 * both variants' sums. Template errors become inconclusive measurements.
 */
public final class GateRunner {
  private final MetricProvider provider;
  private final DistributionReader distributions;
  private final ExperimentReader experiments;

  public GateRunner(MetricProvider provider) {
    this.provider = provider;
    this.distributions = new DistributionReader(provider);
    this.experiments = new ExperimentReader(provider);
  }

  /**
   * The variables of a query: {@code canary} and {@code stable} hold name, namespace, model,
   * version, revision and variant for each side.
   */
  public record Variables(Map<String, String> canary, Map<String, String> stable) {}

  /** Where a gate's query goes, or why it cannot be sent. */
  public interface Targets {
    QueryTarget resolve(GateSpec gate) throws Exception;
  }

  public Map<String, Measurement> measure(List<GateSpec> due, Variables vars, Targets targets) {
    Map<String, Measurement> out = new LinkedHashMap<>();
    for (GateSpec g : due) {
      out.put(g.name, measureOne(g, vars, targets));
    }
    return out;
  }

  /** Measures one gate: resolves where its query goes, then asks the provider. */
  public Measurement measureOne(GateSpec g, Variables vars, Targets targets) {
    QueryTarget target;
    try {
      target = targets.resolve(g);
    } catch (Exception e) {
      String q = g.prometheus == null ? null : g.prometheus.query;
      return new Measurement.Error(Measurement.ErrorKind.AUTH, e.getMessage(), q);
    }
    if (g.abMetric != null) {
      return experiments.read(g.abMetric, g.abWindowSeconds, target, vars.canary(), vars.stable());
    }
    if (g.comparison != null) {
      return distributions.read(g.comparison, target, vars.canary(), vars.stable());
    }
    return measure(g, vars, target);
  }

  private Measurement measure(GateSpec g, Variables vars, QueryTarget target) {
    String canaryQuery;
    try {
      canaryQuery = QueryTemplate.render(g.prometheus.query, vars.canary());
    } catch (IllegalArgumentException e) {
      return new Measurement.Error(
          Measurement.ErrorKind.QUERY_ERROR, e.getMessage(), g.prometheus.query);
    }
    Measurement canary = provider.query(target, canaryQuery);
    if (g.compareTo == null || !(canary instanceof Measurement.Value v)) {
      return canary;
    }
    String stableQuery = QueryTemplate.render(g.prometheus.query, vars.stable());
    Measurement stable = provider.query(target, stableQuery);
    if (stable instanceof Measurement.Value b) {
      return new Measurement.Value(v.value(), b.value(), canaryQuery);
    }
    String why =
        stable instanceof Measurement.Error e ? e.message() : "no data for the stable revision";
    return new Measurement.Error(
        Measurement.ErrorKind.QUERY_ERROR, "baseline query failed: " + why, canaryQuery);
  }
}
