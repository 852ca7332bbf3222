package io.modelrollout.operator.analysis.stats;

import org.hipparchus.distribution.continuous.TDistribution;

/**
 * Welch's unequal-variance t-test of two means from summaries (mean, sample variance, count), with
 * the Welch–Satterthwaite degrees of freedom and a confidence interval for treatment − control.
 * With no variance on either side the test is undefined (NaN p-value), never certain.
 */
public final class Welch {
  private Welch() {}

  /** A sample summary: mean, unbiased variance, count. */
  public record Summary(double mean, double variance, double n) {
    /** From count, sum and sum of squares of the observations. */
    public static Summary fromSums(double n, double sum, double sumOfSquares) {
      if (!(n > 0)) {
        return new Summary(Double.NaN, Double.NaN, n);
      }
      double mean = sum / n;
      double variance =
          n > 1 ? Math.max(0, (sumOfSquares - n * mean * mean) / (n - 1)) : Double.NaN;
      return new Summary(mean, variance, n);
    }
  }

  /**
   * @param difference treatment mean − control mean
   * @param pValue two-sided
   */
  public record Result(
      double difference, double t, double df, double pValue, TwoProportions.Interval interval) {
    public boolean defined() {
      return !Double.isNaN(pValue) && interval.defined();
    }
  }

  public static Result test(Summary control, Summary treatment, double alpha) {
    TwoProportions.Interval none = new TwoProportions.Interval(Double.NaN, Double.NaN);
    if (!usable(control) || !usable(treatment)) {
      return new Result(Double.NaN, Double.NaN, Double.NaN, Double.NaN, none);
    }
    double v1 = control.variance() / control.n();
    double v2 = treatment.variance() / treatment.n();
    double diff = treatment.mean() - control.mean();
    double se2 = v1 + v2;
    if (!(se2 > 0)) {
      // no spread on either side is too few or rounded observations, not certainty: undefined
      return new Result(diff, Double.NaN, Double.NaN, Double.NaN, none);
    }
    double se = Math.sqrt(se2);
    double t = diff / se;
    double df = se2 * se2 / (v1 * v1 / (control.n() - 1) + v2 * v2 / (treatment.n() - 1));
    TDistribution dist = new TDistribution(df);
    double p = 2 * (1 - dist.cumulativeProbability(Math.abs(t)));
    double q = dist.inverseCumulativeProbability(1 - alpha / 2);
    return new Result(
        diff,
        t,
        df,
        Math.max(0, Math.min(1, p)),
        new TwoProportions.Interval(diff - q * se, diff + q * se));
  }

  private static boolean usable(Summary s) {
    return s.n() >= 2
        && !Double.isNaN(s.mean())
        && !Double.isNaN(s.variance())
        && s.variance() >= 0
        && !Double.isInfinite(s.mean())
        && !Double.isInfinite(s.variance());
  }
}
