package io.modelrollout.operator.metrics;

import io.modelrollout.operator.api.GateSpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Absolute and relative (to the stable revision) bounds of a gate. */
public final class Thresholds {
  private Thresholds() {}

  /** Whether {@code value} keeps every bound; {@code baseline} is stable's value, if relative. */
  public static boolean within(GateSpec g, double value, Double baseline) {
    if (g.min != null && value < g.min) return false;
    if (g.max != null && value > g.max) return false;
    if (g.compareTo == null || baseline == null) {
      return true;
    }
    double b = baseline;
    if (g.maxIncrease != null && value > b + g.maxIncrease) return false;
    if (g.maxIncreasePercent != null && value > b + Math.abs(b) * g.maxIncreasePercent / 100) {
      return false;
    }
    if (g.maxDecrease != null && value < b - g.maxDecrease) return false;
    return g.maxDecreasePercent == null || value >= b - Math.abs(b) * g.maxDecreasePercent / 100;
  }

  /** The bounds in words, e.g. "<= 0.01" or "<= stable 0.2 + 10%". */
  public static String describe(GateSpec g, Double baseline) {
    List<String> parts = new ArrayList<>();
    if (g.min != null) parts.add(">= " + fmt(g.min));
    if (g.max != null) parts.add("<= " + fmt(g.max));
    if (g.compareTo != null) {
      String b = baseline == null ? "stable" : "stable " + fmt(baseline);
      if (g.maxIncrease != null) parts.add("<= " + b + " + " + fmt(g.maxIncrease));
      if (g.maxIncreasePercent != null)
        parts.add("<= " + b + " + " + fmt(g.maxIncreasePercent) + "%");
      if (g.maxDecrease != null) parts.add(">= " + b + " - " + fmt(g.maxDecrease));
      if (g.maxDecreasePercent != null)
        parts.add(">= " + b + " - " + fmt(g.maxDecreasePercent) + "%");
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
