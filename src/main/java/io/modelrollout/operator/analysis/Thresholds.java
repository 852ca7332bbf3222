package io.modelrollout.operator.analysis;

import io.modelrollout.operator.api.GateSpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Absolute and relative (to the stable revision) bounds of a gate. */
public final class Thresholds {
  private Thresholds() {}

  /**
   * Whether {@code value} keeps the bounds. Absolute bounds (min, max) must all hold; of the
   * relative bounds on one side, one is enough, so a percent bound can carry an absolute allowance
   * for a near-zero baseline.
   */
  public static boolean within(GateSpec g, double value, Double baseline) {
    if (g.min != null && value < g.min) return false;
    if (g.max != null && value > g.max) return false;
    if (g.compareTo == null || baseline == null) {
      return true;
    }
    double b = baseline;
    boolean up =
        g.maxIncrease == null && g.maxIncreasePercent == null
            || g.maxIncrease != null && value <= b + g.maxIncrease
            || g.maxIncreasePercent != null
                && value <= b + Math.abs(b) * g.maxIncreasePercent / 100;
    boolean down =
        g.maxDecrease == null && g.maxDecreasePercent == null
            || g.maxDecrease != null && value >= b - g.maxDecrease
            || g.maxDecreasePercent != null
                && value >= b - Math.abs(b) * g.maxDecreasePercent / 100;
    return up && down;
  }

  /** The bounds in words, e.g. "<= 0.01" or "<= stable 0.2 + 10%". */
  public static String describe(GateSpec g, Double baseline) {
    List<String> parts = new ArrayList<>();
    if (g.min != null) parts.add(">= " + fmt(g.min));
    if (g.max != null) parts.add("<= " + fmt(g.max));
    if (g.compareTo != null) {
      String b = baseline == null ? "stable" : "stable " + fmt(baseline);
      List<String> up = new ArrayList<>();
      if (g.maxIncrease != null) up.add("<= " + b + " + " + fmt(g.maxIncrease));
      if (g.maxIncreasePercent != null) up.add("<= " + b + " + " + fmt(g.maxIncreasePercent) + "%");
      List<String> down = new ArrayList<>();
      if (g.maxDecrease != null) down.add(">= " + b + " - " + fmt(g.maxDecrease));
      if (g.maxDecreasePercent != null)
        down.add(">= " + b + " - " + fmt(g.maxDecreasePercent) + "%");
      if (!up.isEmpty()) parts.add(String.join(" or ", up));
      if (!down.isEmpty()) parts.add(String.join(" or ", down));
    }
    return String.join(" and ", parts);
  }

  /** A short decimal rendering: 0.01, 12.5, 3. */
  public static String fmt(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return Double.toString(v);
    }
    BigDecimal d = new BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros();
    return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
  }
}
