package io.modelrollout.operator.analysis.stats;

/**
 * Two independent proportions (successes over trials of control and treatment): the pooled
 * two-proportion z-test of equality, Wilson's score interval for each, and Newcombe's hybrid score
 * interval (his method 10, 1998) for the difference treatment − control.
 */
public final class TwoProportions {
  private TwoProportions() {}

  /** An interval; NaN bounds when undefined. */
  public record Interval(double low, double high) {
    public boolean defined() {
      return !Double.isNaN(low) && !Double.isNaN(high);
    }

    static final Interval UNDEFINED = new Interval(Double.NaN, Double.NaN);
  }

  /**
   * @param difference treatment rate − control rate
   * @param z the pooled z statistic (positive when treatment is higher)
   * @param pValue two-sided
   * @param interval Newcombe's interval for the difference at the given confidence
   */
  public record Result(
      double control,
      double treatment,
      double difference,
      double z,
      double pValue,
      Interval interval) {
    public boolean defined() {
      return !Double.isNaN(pValue) && interval.defined();
    }
  }

  /** The z-test and Newcombe interval at confidence {@code 1 - alpha}. */
  public static Result test(
      double controlSuccesses,
      double controlTrials,
      double treatmentSuccesses,
      double treatmentTrials,
      double alpha) {
    if (!valid(controlSuccesses, controlTrials) || !valid(treatmentSuccesses, treatmentTrials)) {
      return new Result(
          Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Interval.UNDEFINED);
    }
    double p1 = controlSuccesses / controlTrials;
    double p2 = treatmentSuccesses / treatmentTrials;
    double pooled = (controlSuccesses + treatmentSuccesses) / (controlTrials + treatmentTrials);
    double se = Math.sqrt(pooled * (1 - pooled) * (1 / controlTrials + 1 / treatmentTrials));
    double z;
    double p;
    if (se == 0) {
      z = 0; // both all successes or all failures: no evidence of a difference
      p = 1;
    } else {
      z = (p2 - p1) / se;
      p = Normal.twoSided(z);
    }
    Interval ci =
        newcombe(controlSuccesses, controlTrials, treatmentSuccesses, treatmentTrials, alpha);
    return new Result(p1, p2, p2 - p1, z, p, ci);
  }

  /** Wilson's score interval for successes/trials at confidence {@code 1 - alpha}. */
  public static Interval wilson(double successes, double trials, double alpha) {
    if (!valid(successes, trials)) {
      return Interval.UNDEFINED;
    }
    double z = Normal.quantile(1 - alpha / 2);
    double p = successes / trials;
    double z2 = z * z;
    double centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
    double half =
        z * Math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / (1 + z2 / trials);
    return new Interval(Math.max(0, centre - half), Math.min(1, centre + half));
  }

  /** Newcombe's hybrid score interval for (treatment − control), from both Wilson intervals. */
  public static Interval newcombe(
      double controlSuccesses,
      double controlTrials,
      double treatmentSuccesses,
      double treatmentTrials,
      double alpha) {
    if (!valid(controlSuccesses, controlTrials) || !valid(treatmentSuccesses, treatmentTrials)) {
      return Interval.UNDEFINED;
    }
    double p1 = treatmentSuccesses / treatmentTrials; // Newcombe's θ1 − θ2 with 1 = treatment
    double p2 = controlSuccesses / controlTrials;
    Interval w1 = wilson(treatmentSuccesses, treatmentTrials, alpha);
    Interval w2 = wilson(controlSuccesses, controlTrials, alpha);
    double d = p1 - p2;
    double delta = Math.sqrt(sq(p1 - w1.low()) + sq(w2.high() - p2));
    double epsilon = Math.sqrt(sq(w1.high() - p1) + sq(p2 - w2.low()));
    return new Interval(d - delta, d + epsilon);
  }

  private static boolean valid(double successes, double trials) {
    return !Double.isNaN(successes)
        && !Double.isNaN(trials)
        && !Double.isInfinite(trials)
        && trials > 0
        && successes >= 0
        && successes <= trials;
  }

  private static double sq(double x) {
    return x * x;
  }
}
