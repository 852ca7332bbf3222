package io.modelrollout.operator.analysis.stats;

/** Counts to proportions, and cumulative histogram buckets to per-bucket counts. */
public final class Proportions {
  private Proportions() {}

  /** Each count over the total; all NaN when the total is not positive or a count is invalid. */
  public static double[] of(double[] counts) {
    double total = 0;
    boolean valid = true;
    for (double c : counts) {
      valid &= !Double.isNaN(c) && !Double.isInfinite(c) && c >= 0;
      total += c;
    }
    double[] out = new double[counts.length];
    for (int i = 0; i < counts.length; i++) {
      out[i] = valid && total > 0 ? counts[i] / total : Double.NaN;
    }
    return out;
  }

  /**
   * Per-bucket counts from cumulative {@code le} bucket counts in ascending bound order (the last
   * usually +Inf). A cumulative count lower than the one before (extrapolation noise of increase())
   * gives 0 for that bucket.
   */
  public static double[] fromCumulative(double[] cumulative) {
    double[] out = new double[cumulative.length];
    double previous = 0;
    for (int i = 0; i < cumulative.length; i++) {
      out[i] = Math.max(0, cumulative[i] - previous);
      previous = Math.max(previous, cumulative[i]);
    }
    return out;
  }

  /** The sum of the values. */
  public static double total(double[] values) {
    double t = 0;
    for (double v : values) t += v;
    return t;
  }
}
