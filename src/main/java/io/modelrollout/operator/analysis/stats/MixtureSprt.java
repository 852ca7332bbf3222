package io.modelrollout.operator.analysis.stats;

/**
 * The mixture sequential probability ratio test of Johari, Pekelis and Walsh ("Always Valid
 * Inference: Bringing Sequential Analysis to A/B Testing", 2015; KDD 2017 "Peeking at A/B Tests"),
 * for the difference θ = treatment − control under a normal approximation.
 *
 * <p>With the estimate θ̂, its variance V = σ_t²/n_t + σ_c²/n_c and a normal mixing distribution
 * N(θ0, τ²) over alternatives, the mixture likelihood ratio against θ0 is
 *
 * <pre>  Λ = √(V / (V + τ²)) · exp( τ² (θ̂ − θ0)² / (2 V (V + τ²)) )</pre>
 *
 * and the always-valid p-value is the running minimum of min(1, 1/Λ) over every look, so looking at
 * the data at every interval does not inflate the false-positive rate (Ville's inequality). The
 * matching always-valid confidence interval at level 1 − α is θ̂ ± √( V (V + τ²)/τ² · (ln((V +
 * τ²)/V) − 2 ln α) ). τ is the scale of effects worth finding; the policy's minimum detectable
 * effect is a good choice.
 */
public final class MixtureSprt {
  private MixtureSprt() {}

  /**
   * @param likelihoodRatio Λ at this look
   * @param pValue the always-valid p-value after this look (running minimum)
   */
  public record Result(
      double estimate,
      double variance,
      double likelihoodRatio,
      double pValue,
      TwoProportions.Interval interval) {
    public boolean defined() {
      return !Double.isNaN(pValue);
    }
  }

  /**
   * One look at the data.
   *
   * @param previousP the always-valid p-value after the previous look (1 before the first)
   * @return an undefined result (NaN p-value) when the estimate or the variance is not a finite
   *     number or the variance is not positive: a variance of 0 comes from too few observations or
   *     from rounding (bucket midpoints), not from a noiseless experiment, so it is no evidence;
   *     the caller keeps {@code previousP}
   */
  public static Result look(
      double estimate, double variance, double tau, double alpha, double previousP) {
    if (Double.isNaN(estimate)
        || Double.isNaN(variance)
        || Double.isInfinite(estimate)
        || Double.isInfinite(variance)
        || !(variance > 0)
        || !(tau > 0)) {
      // no variance is no measured noise, not certainty (bucket midpoints, 0/2 vs 1/1): this look
      // says nothing, and the caller keeps the p-value so far
      return new Result(
          estimate,
          variance,
          Double.NaN,
          Double.NaN,
          new TwoProportions.Interval(Double.NaN, Double.NaN));
    }
    double prev = Double.isNaN(previousP) ? 1 : previousP;
    double t2 = tau * tau;
    double logLambda =
        0.5 * Math.log(variance / (variance + t2))
            + t2 * estimate * estimate / (2 * variance * (variance + t2));
    double lambda = Math.exp(logLambda);
    double p = Math.min(prev, Math.min(1, Math.exp(-logLambda)));
    double half =
        Math.sqrt(
            variance
                * (variance + t2)
                / t2
                * (Math.log((variance + t2) / variance) - 2 * Math.log(alpha)));
    return new Result(
        estimate,
        variance,
        lambda,
        p,
        new TwoProportions.Interval(estimate - half, estimate + half));
  }
}
