package io.modelrollout.operator.analysis.stats;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Holm's step-down correction (1979) for several hypotheses at family-wise level α: sort the
 * p-values, reject the i-th smallest (1-based) while p ≤ α / (m − i + 1), stop at the first that is
 * not. An undefined (NaN) p-value is never rejected and counts towards m.
 */
public final class Holm {
  private Holm() {}

  /** Which hypotheses are rejected, in the order given. */
  public static boolean[] reject(double[] pValues, double alpha) {
    int m = pValues.length;
    Integer[] order = new Integer[m];
    for (int i = 0; i < m; i++) order[i] = i;
    Arrays.sort(
        order,
        Comparator.comparingDouble(i -> Double.isNaN(pValues[i]) ? Double.MAX_VALUE : pValues[i]));
    boolean[] out = new boolean[m];
    for (int k = 0; k < m; k++) {
      double p = pValues[order[k]];
      if (Double.isNaN(p) || p > alpha / (m - k)) {
        break;
      }
      out[order[k]] = true;
    }
    return out;
  }

  /** Holm-adjusted p-values (monotone, capped at 1), in the order given. */
  public static double[] adjust(double[] pValues) {
    int m = pValues.length;
    Integer[] order = new Integer[m];
    for (int i = 0; i < m; i++) order[i] = i;
    Arrays.sort(
        order,
        Comparator.comparingDouble(i -> Double.isNaN(pValues[i]) ? Double.MAX_VALUE : pValues[i]));
    double[] out = new double[m];
    double running = 0;
    for (int k = 0; k < m; k++) {
      double p = pValues[order[k]];
      if (Double.isNaN(p)) {
        out[order[k]] = Double.NaN;
        continue;
      }
      running = Math.max(running, Math.min(1, (m - k) * p));
      out[order[k]] = running;
    }
    return out;
  }
}
