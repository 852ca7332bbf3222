package io.modelrollout.operator.analysis;

import io.modelrollout.operator.analysis.stats.ChiSquare;
import io.modelrollout.operator.analysis.stats.KolmogorovSmirnov;
import io.modelrollout.operator.analysis.stats.Proportions;
import io.modelrollout.operator.analysis.stats.Psi;
import io.modelrollout.operator.api.ComparisonSpec;
import io.modelrollout.operator.api.ComparisonStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * A comparison gate's statistics from two distributions (pure): PSI, and for histograms the
 * bucketed KS distance and its p-value, for classes the chi-square p-value; the gate's value is the
 * first threshold's statistic (maxPSI, maxKS, minPValue).
 */
public final class Comparisons {
  private Comparisons() {}

  /**
   * @param value the statistic of the first threshold, NaN when undefined
   * @param pass every threshold holds (false when any statistic is undefined)
   */
  public record Result(double value, boolean pass, boolean defined, ComparisonStatus status) {}

  public static Result evaluate(ComparisonSpec spec, Measurement.Distributions d) {
    ComparisonStatus st = new ComparisonStatus();
    double psi = Psi.ofCounts(d.stable(), d.canary(), Psi.DEFAULT_EPSILON);
    st.psi = finite(psi);
    st.stableSamples = Math.round(Proportions.total(d.stable()));
    st.canarySamples = Math.round(Proportions.total(d.canary()));
    double ks = Double.NaN;
    double p;
    if (d.histogram()) {
      KolmogorovSmirnov.Result r = KolmogorovSmirnov.ofCounts(d.stable(), d.canary());
      ks = r.distance();
      p = r.pValue();
      st.ks = finite(ks);
      st.ksAt = r.at() >= 0 ? d.labels().get(r.at()) : null;
      st.test = "KS";
    } else {
      p = ChiSquare.homogeneity(d.stable(), d.canary()).pValue();
      st.test = "ChiSquare";
    }
    st.pValue = finite(p);
    st.buckets = buckets(d);
    boolean pass = true;
    boolean defined = true;
    double value = Double.NaN;
    boolean first = true;
    if (spec.maxPSI != null) {
      value = psi;
      first = false;
      defined &= !Double.isNaN(psi);
      pass &= psi <= spec.maxPSI;
    }
    if (spec.maxKS != null) {
      value = first ? ks : value;
      first = false;
      defined &= !Double.isNaN(ks);
      pass &= ks <= spec.maxKS;
    }
    if (spec.minPValue != null) {
      value = first ? p : value;
      defined &= !Double.isNaN(p);
      pass &= p >= spec.minPValue;
    }
    return new Result(value, pass && defined, defined, st);
  }

  /** The thresholds in words, e.g. "PSI <= 0.2 and KS p >= 0.01". */
  public static String describe(ComparisonSpec spec) {
    List<String> parts = new ArrayList<>();
    if (spec.maxPSI != null) parts.add("PSI <= " + Thresholds.fmt(spec.maxPSI));
    if (spec.maxKS != null) parts.add("KS <= " + Thresholds.fmt(spec.maxKS));
    if (spec.minPValue != null) {
      parts.add(
          (spec.histogram != null ? "KS" : "chi-square")
              + " p >= "
              + Thresholds.fmt(spec.minPValue));
    }
    return String.join(" and ", parts);
  }

  /** Per-bucket shares, at most {@link ComparisonStatus#MAX_BUCKETS} rows (the rest summed). */
  static List<ComparisonStatus.Bucket> buckets(Measurement.Distributions d) {
    double[] a = Proportions.of(d.stable());
    double[] b = Proportions.of(d.canary());
    List<ComparisonStatus.Bucket> out = new ArrayList<>();
    int n = d.labels().size();
    int keep = Math.min(n, ComparisonStatus.MAX_BUCKETS);
    for (int i = 0; i < keep; i++) {
      double sa = a[i];
      double sb = b[i];
      String label = d.labels().get(i);
      if (i == keep - 1 && n > keep) {
        for (int j = keep; j < n; j++) {
          sa += a[j];
          sb += b[j];
        }
        label = label + " and " + (n - keep) + " more";
      }
      out.add(new ComparisonStatus.Bucket(label, round(sa), round(sb)));
    }
    return out;
  }

  private static Double round(double v) {
    return Double.isNaN(v) ? null : Math.round(v * 1e4) / 1e4;
  }

  private static Double finite(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
  }
}
