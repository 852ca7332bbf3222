package io.modelrollout.operator.analysis.stats;

import org.hipparchus.distribution.continuous.NormalDistribution;
import org.hipparchus.special.Erf;

/** The standard normal distribution. */
final class Normal {
  private static final NormalDistribution STANDARD = new NormalDistribution(0, 1);

  private Normal() {}

  /** P(|Z| ≥ |z|), precise in the far tail. */
  static double twoSided(double z) {
    if (Double.isNaN(z)) return Double.NaN;
    return Erf.erfc(Math.abs(z) / Math.sqrt(2));
  }

  /** The quantile of probability {@code p}. */
  static double quantile(double p) {
    return STANDARD.inverseCumulativeProbability(p);
  }
}
