package io.modelrollout.operator.analysis.stats;

import org.hipparchus.special.Gamma;

/**
 * Pearson's chi-square tests: homogeneity of two count vectors over the same classes (a 2×k table,
 * no continuity correction), and goodness of fit of counts to expected proportions. Classes empty
 * on both sides are left out of a homogeneity test.
 */
public final class ChiSquare {
  private ChiSquare() {}

  /** The statistic, its degrees of freedom and the p-value (NaN when undefined). */
  public record Result(double statistic, int df, double pValue) {
    public boolean defined() {
      return !Double.isNaN(pValue);
    }

    static Result undefined() {
      return new Result(Double.NaN, 0, Double.NaN);
    }
  }

  /** Whether two samples of class counts come from the same distribution. */
  public static Result homogeneity(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "class layouts differ: " + a.length + " and " + b.length + " classes");
    }
    double na = Proportions.total(a);
    double nb = Proportions.total(b);
    if (!valid(a) || !valid(b) || !(na > 0) || !(nb > 0)) {
      return Result.undefined();
    }
    double n = na + nb;
    double stat = 0;
    int classes = 0;
    for (int i = 0; i < a.length; i++) {
      double col = a[i] + b[i];
      if (col <= 0) {
        continue;
      }
      classes++;
      double ea = na * col / n;
      double eb = nb * col / n;
      stat += (a[i] - ea) * (a[i] - ea) / ea + (b[i] - eb) * (b[i] - eb) / eb;
    }
    int df = classes - 1;
    if (df < 1) {
      return new Result(0, 0, 1); // a single class seen: nothing differs
    }
    return new Result(stat, df, sf(stat, df));
  }

  /** Whether {@code observed} counts fit the {@code expected} proportions (summing to 1). */
  public static Result goodnessOfFit(double[] observed, double[] expected) {
    if (observed.length != expected.length || observed.length < 2) {
      throw new IllegalArgumentException("observed and expected need the same 2+ classes");
    }
    double n = Proportions.total(observed);
    double pt = Proportions.total(expected);
    if (!valid(observed) || !(n > 0) || !(pt > 0)) {
      return Result.undefined();
    }
    double stat = 0;
    for (int i = 0; i < observed.length; i++) {
      double e = n * expected[i] / pt;
      if (e <= 0) {
        if (observed[i] > 0) return new Result(Double.POSITIVE_INFINITY, observed.length - 1, 0);
        continue;
      }
      stat += (observed[i] - e) * (observed[i] - e) / e;
    }
    int df = observed.length - 1;
    return new Result(stat, df, sf(stat, df));
  }

  /** The upper tail of the chi-square distribution. */
  static double sf(double x, int df) {
    if (Double.isNaN(x)) return Double.NaN;
    if (x <= 0) return 1;
    if (Double.isInfinite(x)) return 0;
    return Gamma.regularizedGammaQ(df / 2.0, x / 2.0); // the upper tail, precise for tiny p
  }

  private static boolean valid(double[] v) {
    for (double x : v) {
      if (Double.isNaN(x) || Double.isInfinite(x) || x < 0) return false;
    }
    return true;
  }
}
