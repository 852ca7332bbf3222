package io.modelrollout.operator.analysis;

import io.modelrollout.operator.analysis.MetricProvider.Labeled;
import io.modelrollout.operator.analysis.stats.Proportions;
import io.modelrollout.operator.api.ComparisonSpec;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads a comparison gate's two distributions: per {@code le} bucket of a histogram ({@code sum by
 * (le) (increase(<h>_bucket{labels}[window]))}, cumulative counts turned into per-bucket counts;
 * both versions must have the same bounds) or per class of a counter. The {@code _count} increase
 * is the histogram's sample count.
 */
final class DistributionReader {
  private final MetricProvider provider;

  DistributionReader(MetricProvider provider) {
    this.provider = provider;
  }

  Measurement read(
      ComparisonSpec c,
      QueryTarget target,
      Map<String, String> canary,
      Map<String, String> stable) {
    String window = c.window == null ? "5m" : c.window;
    String canaryLabels;
    String stableLabels;
    try {
      canaryLabels = QueryTemplate.render(c.labels, canary);
      stableLabels = QueryTemplate.render(c.labels, stable);
    } catch (IllegalArgumentException e) {
      return new Measurement.Error(Measurement.ErrorKind.QUERY_ERROR, e.getMessage(), c.labels);
    }
    boolean histogram = c.histogram != null;
    String label = histogram ? "le" : c.classLabelOrDefault();
    String metric = histogram ? c.histogram + "_bucket" : c.classes;
    String canaryQuery = byLabel(label, metric, canaryLabels, window);
    String stableQuery = byLabel(label, metric, stableLabels, window);
    Labeled a = provider.queryByLabel(target, canaryQuery, label);
    if (!a.ok()) {
      return side("the new revision", a.failure());
    }
    Labeled b = provider.queryByLabel(target, stableQuery, label);
    if (!b.ok()) {
      return side("stable", b.failure());
    }
    if (!histogram) {
      TreeSet<String> classes = new TreeSet<>(a.values().keySet());
      classes.addAll(b.values().keySet());
      List<String> names = List.copyOf(classes);
      return new Measurement.Distributions(
          names, counts(names, b.values()), counts(names, a.values()), false, canaryQuery);
    }
    Map<Double, Double> ca = byBound(a.values());
    Map<Double, Double> cb = byBound(b.values());
    if (!ca.keySet().equals(cb.keySet()) || ca.containsKey(Double.NaN)) {
      return new Measurement.Error(
          Measurement.ErrorKind.QUERY_ERROR,
          "bucket layouts differ: the new revision has le="
              + names(ca)
              + ", stable le="
              + names(cb),
          canaryQuery);
    }
    double[] canaryCounts = Proportions.fromCumulative(values(ca));
    double[] stableCounts = Proportions.fromCumulative(values(cb));
    List<String> bounds = names(ca);
    // _count equals the +Inf bucket; read it so a histogram without +Inf is still counted right
    scale(canaryCounts, total(target, c.histogram, canaryLabels, window));
    scale(stableCounts, total(target, c.histogram, stableLabels, window));
    return new Measurement.Distributions(bounds, stableCounts, canaryCounts, true, canaryQuery);
  }

  /** Scales per-bucket counts to the _count total when it is known and differs (no +Inf). */
  private static void scale(double[] counts, Double total) {
    double sum = Proportions.total(counts);
    if (total == null || !(sum > 0) || Math.abs(total - sum) < 0.5) {
      return;
    }
    for (int i = 0; i < counts.length; i++) {
      counts[i] = counts[i] * total / sum;
    }
  }

  private Double total(QueryTarget target, String histogram, String labels, String window) {
    Measurement m =
        provider.query(
            target, "sum(increase(" + histogram + "_count{" + labels + "}[" + window + "]))");
    return m instanceof Measurement.Value v ? v.value() : null;
  }

  static String byLabel(String label, String metric, String labels, String window) {
    return "sum by (" + label + ") (increase(" + metric + "{" + labels + "}[" + window + "]))";
  }

  private static Measurement side(String which, Measurement failure) {
    if (failure instanceof Measurement.NoData nd) {
      return new Measurement.NoData(nd.query(), "no predictions of " + which + ": " + nd.message());
    }
    return failure;
  }

  private static double[] counts(List<String> keys, Map<String, Double> values) {
    double[] out = new double[keys.size()];
    for (int i = 0; i < out.length; i++) {
      Double v = values.get(keys.get(i));
      out[i] = v == null ? 0 : v;
    }
    return out;
  }

  /** Cumulative counts by numeric bound, ascending (+Inf last); an unreadable bound is NaN. */
  static Map<Double, Double> byBound(Map<String, Double> values) {
    java.util.TreeMap<Double, Double> out = new java.util.TreeMap<>();
    values.forEach((le, v) -> out.merge(bound(le), v, Double::sum));
    return out;
  }

  private static double[] values(Map<Double, Double> byBound) {
    return byBound.values().stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** The bounds as le values: 0.5, 1, +Inf. */
  static List<String> names(Map<Double, Double> byBound) {
    return byBound.keySet().stream().map(d -> d.isInfinite() ? "+Inf" : Thresholds.fmt(d)).toList();
  }

  private static double bound(String le) {
    String t = le.trim();
    if (t.equals("+Inf") || t.equals("Inf")) return Double.POSITIVE_INFINITY;
    try {
      return Double.parseDouble(t);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
