package io.modelrollout.operator.analysis;

import io.modelrollout.operator.analysis.MetricProvider.Labeled;
import io.modelrollout.operator.api.ABTestSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads an A/B metric's sums for both variants since the test started: {@code
 * sum(increase(<counter>{labels}[<seconds>s]))} of successes and trials (a rate), or of {@code
 * _sum}, {@code _count} and a sum of squares or the {@code _bucket} histogram (a mean: the mean
 * from {@code _sum} and {@code _count}, the variance from the buckets alone, see {@link
 * #bucketVariance}).
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
    return histogramSums(n, (Double) sum, bucketVariance(buckets.values()));
  }

  /**
   * The sums of a mean read from a histogram: n and Σx as counted ({@code _count}, {@code _sum}:
   * the mean is exact), and the Σx² that gives, with that mean, the variance of the buckets ({@link
   * #bucketVariance}). Bucket Σx² beside the exact mean would mix two descriptions of the data:
   * with every observation in (0.1, 0.25] and a mean of 0.20, Σx²/n at the midpoint is 0.0306,
   * below mean² = 0.04, and the variance clamps to 0.
   */
  static Measurement.Sums histogramSums(double n, double sum, double variance) {
    if (!(n > 1) || Double.isNaN(variance)) {
      return new Measurement.Sums(n, sum, Double.NaN);
    }
    return new Measurement.Sums(n, sum, (n - 1) * variance + sum * sum / n);
  }

  /**
   * The sample variance of the observations in cumulative {@code le} buckets, each bucket spread
   * evenly over its bounds: the spread of the midpoints plus width²/12 within each bucket, all
   * about the buckets' own mean, so it is never negative and above 0 as soon as a bucket of some
   * width holds an observation. The first bucket starts at 0 (at its bound when that is not
   * positive); the +Inf bucket sits at the last finite bound. NaN with fewer than two observations.
   */
  static double bucketVariance(Map<String, Double> cumulative) {
    Map<Double, Double> byBound = DistributionReader.byBound(cumulative);
    List<double[]> buckets = new ArrayList<>(); // count, midpoint, width
    double lower = Double.NaN;
    double previous = 0;
    double lastFinite = 0;
    double n = 0;
    double sum = 0;
    for (Map.Entry<Double, Double> e : byBound.entrySet()) {
      double bound = e.getKey();
      double count = Math.max(0, e.getValue() - previous);
      previous = Math.max(previous, e.getValue());
      double mid;
      double width;
      if (Double.isInfinite(bound)) {
        mid = lastFinite;
        width = 0;
      } else {
        double low = Double.isNaN(lower) ? (bound > 0 ? 0 : bound) : lower;
        mid = (low + bound) / 2;
        width = bound - low;
        lower = bound;
        lastFinite = bound;
      }
      buckets.add(new double[] {count, mid, width});
      n += count;
      sum += count * mid;
    }
    if (!(n > 1)) {
      return Double.NaN;
    }
    double mean = sum / n;
    double ss = 0;
    for (double[] b : buckets) {
      double d = b[1] - mean;
      ss += b[0] * (d * d + b[2] * b[2] / 12);
    }
    return ss / (n - 1);
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
