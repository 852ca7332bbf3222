package io.modelrollout.operator.analysis.stats;

/**
 * Samples per variant for a two-sided fixed-horizon test to detect an absolute effect δ with the
 * given power at level α (normal approximation, equal allocation):
 *
 * <ul>
 *   <li>rates (Fleiss): n = (z_{1−α/2} √(2 p̄ q̄) + z_{1−β} √(p1 q1 + p2 q2))² / δ², with p2 = p1 +
 *       δ and p̄ their mean;
 *   <li>means: n = 2 σ² (z_{1−α/2} + z_{1−β})² / δ².
 * </ul>
 *
 * Results are rounded up; -1 when undefined (no baseline yet, δ of 0, p2 outside (0, 1)).
 */
public final class SampleSize {
  private SampleSize() {}

  public static long forRates(double baseline, double effect, double alpha, double power) {
    double p1 = baseline;
    double p2 = baseline + effect;
    if (Double.isNaN(p1)
        || !(Math.abs(effect) > 0)
        || p1 < 0
        || p1 > 1
        || p2 <= 0
        || p2 >= 1
        || !validLevels(alpha, power)) {
      return -1;
    }
    double za = Normal.quantile(1 - alpha / 2);
    double zb = Normal.quantile(power);
    double pbar = (p1 + p2) / 2;
    double a =
        za * Math.sqrt(2 * pbar * (1 - pbar)) + zb * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
    return (long) Math.ceil(a * a / (effect * effect));
  }

  public static long forMeans(double sd, double effect, double alpha, double power) {
    if (Double.isNaN(sd) || !(sd > 0) || !(Math.abs(effect) > 0) || !validLevels(alpha, power)) {
      return -1;
    }
    double z = Normal.quantile(1 - alpha / 2) + Normal.quantile(power);
    return (long) Math.ceil(2 * sd * sd * z * z / (effect * effect));
  }

  private static boolean validLevels(double alpha, double power) {
    return alpha > 0 && alpha < 1 && power > 0 && power < 1;
  }
}
