package io.modelrollout.operator.analysis.stats;

/**
 * Sample-ratio mismatch: a chi-square goodness-of-fit test of the trials each variant received
 * against the configured split. A p-value below {@link #THRESHOLD} means the assignment is broken
 * (a bug in routing, a variant that drops requests), and no winner may be picked from the data.
 */
public final class SampleRatio {
  /** The p-value below which the split is called mismatched (as in the literature: 0.001). */
  public static final double THRESHOLD = 0.001;

  private SampleRatio() {}

  /**
   * @param pValue NaN when there are no trials yet
   * @param mismatch true only when the p-value is defined and below the threshold
   */
  public record Result(
      double statistic, double pValue, double expectedTreatmentShare, boolean mismatch) {}

  /**
   * @param treatmentShare the configured share of the treatment, in (0, 1)
   */
  public static Result check(double controlTrials, double treatmentTrials, double treatmentShare) {
    if (!(treatmentShare > 0 && treatmentShare < 1)) {
      throw new IllegalArgumentException("the treatment share must be in (0, 1)");
    }
    ChiSquare.Result r =
        ChiSquare.goodnessOfFit(
            new double[] {controlTrials, treatmentTrials},
            new double[] {1 - treatmentShare, treatmentShare});
    return new Result(
        r.statistic(), r.pValue(), treatmentShare, r.defined() && r.pValue() < THRESHOLD);
  }
}
