package io.modelrollout.operator.analysis;

import io.modelrollout.operator.analysis.MetricProvider.Labeled;
import io.modelrollout.operator.api.ABTestSpec;
import java.util.Map;

/**
 * Reads an A/B metric's sums for both variants since the test started: {@code
 * sum(increase(<counter>{labels}[<seconds>s]))} of successes and trials (a rate), or of {@code
 * _sum}, {@code _count} and a sum of squares or the {@code _bucket} histogram (a mean; the variance
 * from bucket midpoints, the +Inf bucket at the last finite bound).
 */
final class ExperimentReader {
  private final MetricProvider provider;

  ExperimentReader(MetricProvider provider) {
    this.provider = provider;
  }

  Measurement read(
      ABTestSpec.ABMetric metric,
      long windowSeconds,
      QueryTarget target,
      Map<String, String> treatment,
      Map<String, String> control) {
    String window = Math.max(1, windowSeconds) + "s";
    String tl;
    String cl;
    try {
      tl = QueryTemplate.render(metric.labels, treatment);
      cl = QueryTemplate.render(metric.labels, control);
    } catch (IllegalArgumentException e) {
      return new Measurement.Error(
          Measurement.ErrorKind.QUERY_ERROR, e.getMessage(), metric.labels);
    }
    Object t = sums(metric, tl, window, target);
    if (t instanceof Measurement m) {
      return m;
    }
    Object c = sums(metric, cl, window, target);
    if (c instanceof Measurement m) {
      return m;
    }
    return new Measurement.Samples(
        (Measurement.Sums) c,
        (Measurement.Sums) t,
        metric.rate != null,
        query(first(metric), tl, window));
  }

  private Object sums(
      ABTestSpec.ABMetric metric, String labels, String window, QueryTarget target) {
    if (metric.rate != null) {
      Object trials = value(metric.rate.trials, labels, window, target);
      if (trials instanceof Measurement m) return m;
      Object successes = value(metric.rate.successes, labels, window, target);
      if (successes instanceof Measurement m) return m;
      double n = Math.round((Double) trials);
      double k = Math.min(n, Math.round((Double) successes));
      return new Measurement.Sums(n, k, k);
    }
    Object count = value(metric.mean.metric + "_count", labels, window, target);
    if (count instanceof Measurement m) return m;
    Object sum = value(metric.mean.metric + "_sum", labels, window, target);
    if (sum instanceof Measurement m) return m;
    double n = (Double) count;
    if (metric.mean.sumOfSquares != null) {
      Object sq = value(metric.mean.sumOfSquares, labels, window, target);
      if (sq instanceof Measurement m) return m;
      return new Measurement.Sums(n, (Double) sum, (Double) sq);
    }
    String q = DistributionReader.byLabel("le", metric.mean.metric + "_bucket", labels, window);
    Labeled buckets = provider.queryByLabel(target, q, "le");
    if (!buckets.ok()) {
      return buckets.failure();
    }
    return new Measurement.Sums(n, (Double) sum, sumOfSquares(buckets.values()));
  }

  /** Σx² from cumulative buckets: each bucket's count at its midpoint. */
  static double sumOfSquares(Map<String, Double> cumulative) {
    Map<Double, Double> byBound = DistributionReader.byBound(cumulative);
    double lower = 0;
    double previous = 0;
    double lastFinite = 0;
    double sq = 0;
    for (Map.Entry<Double, Double> e : byBound.entrySet()) {
      Double bound = e.getKey();
      double count = Math.max(0, e.getValue() - previous);
      previous = Math.max(previous, e.getValue());
      double x = bound.isInfinite() ? lastFinite : (lower + bound) / 2;
      sq += count * x * x;
      if (!Double.isInfinite(bound)) {
        lower = bound;
        lastFinite = bound;
      }
    }
    return sq;
  }

  private Object value(String metric, String labels, String window, QueryTarget target) {
    String q = query(metric, labels, window);
    Measurement m = provider.query(target, q);
    if (m instanceof Measurement.Value v) {
      return v.value();
    }
    return m;
  }

  private static String first(ABTestSpec.ABMetric metric) {
    return metric.rate != null ? metric.rate.successes : metric.mean.metric + "_sum";
  }

  static String query(String metric, String labels, String window) {
    return "sum(increase(" + metric + "{" + labels + "}[" + window + "]))";
  }
}
