package io.modelrollout.operator.analysis.stats;

/**
 * Population stability index between two distributions over the same buckets (or classes): PSI = Σ
 * (a_i − e_i) · ln(a_i / e_i), with e the expected (stable) and a the actual (shadow) proportions.
 * A proportion below {@code epsilon} is raised to it (without renormalizing), so an empty bucket on
 * one side contributes a large but finite term. Conventions: below 0.1 stable, 0.1–0.25 a moderate
 * shift, above 0.25 a significant one.
 */
public final class Psi {
  /** The smoothing of empty buckets used unless a policy says otherwise. */
  public static final double DEFAULT_EPSILON = 1e-4;

  private Psi() {}

  /** PSI of two count vectors (same length); NaN when either side has no samples. */
  public static double ofCounts(double[] expected, double[] actual, double epsilon) {
    return ofProportions(Proportions.of(expected), Proportions.of(actual), epsilon);
  }

  /** PSI of two proportion vectors (same length); NaN when either is undefined. */
  public static double ofProportions(double[] expected, double[] actual, double epsilon) {
    if (expected.length != actual.length) {
      throw new IllegalArgumentException(
          "bucket layouts differ: " + expected.length + " and " + actual.length + " buckets");
    }
    if (expected.length == 0) {
      return Double.NaN;
    }
    double sum = 0;
    for (int i = 0; i < expected.length; i++) {
      if (Double.isNaN(expected[i]) || Double.isNaN(actual[i])) {
        return Double.NaN;
      }
      double e = Math.max(expected[i], epsilon);
      double a = Math.max(actual[i], epsilon);
      sum += (a - e) * Math.log(a / e);
    }
    return sum;
  }
}
