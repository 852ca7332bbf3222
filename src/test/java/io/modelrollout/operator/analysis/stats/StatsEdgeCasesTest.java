package io.modelrollout.operator.analysis.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Published worked examples, hand-derived values, and what every statistic does with no data, zero
 * trials, NaN and tiny samples: undefined (NaN, {@code defined() == false}), never a pass.
 */
class StatsEdgeCasesTest {
  static final double NAN = Double.NaN;

  @Test
  void publishedExamples() {
    // Newcombe (1998), "Two-sided confidence intervals for the single proportion", 81/263:
    // Wilson score interval 0.2553 to 0.3662
    TwoProportions.Interval w = TwoProportions.wilson(81, 263, 0.05);
    assertThat(w.low()).isCloseTo(0.2553, within(5e-5));
    assertThat(w.high()).isCloseTo(0.3662, within(5e-5));
    // Newcombe (1998), "Interval estimation for the difference between independent
    // proportions", example (a) 56/70 - 48/80, method 10 (hybrid score): 0.0524 to 0.3339
    TwoProportions.Interval d = TwoProportions.newcombe(48, 80, 56, 70, 0.05);
    assertThat(d.low()).isCloseTo(0.0524, within(5e-5));
    assertThat(d.high()).isCloseTo(0.3339, within(5e-5));
    // Kohavi, Tang, Xu, "Trustworthy Online Controlled Experiments" (2020), ch. 3: 821,588 vs
    // 815,482 users in a 50/50 test is a sample-ratio mismatch, p = 1.8e-6
    SampleRatio.Result srm = SampleRatio.check(821_588, 815_482, 0.5);
    assertThat(srm.pValue()).isCloseTo(1.8e-6, within(0.05e-6));
    assertThat(srm.mismatch()).isTrue();
  }

  @Test
  void handDerivedValues() {
    // (0.75-0.5) ln 1.5 + (0.25-0.5) ln 0.5
    assertThat(Psi.ofProportions(new double[] {0.5, 0.5}, new double[] {0.25, 0.75}, 1e-4))
        .isCloseTo(0.25 * Math.log(1.5) + 0.25 * Math.log(2), within(1e-12));
    assertThat(Psi.ofCounts(new double[] {3, 1}, new double[] {30, 10}, 1e-4)).isZero();
    // an empty bucket is smoothed: finite, large
    double smoothed = Psi.ofProportions(new double[] {1, 0}, new double[] {0.5, 0.5}, 1e-4);
    assertThat(smoothed)
        .isCloseTo(0.5 * Math.log(0.5) * -1 + (0.5 - 1e-4) * Math.log(0.5 / 1e-4), within(1e-9));
    // D over cumulative buckets: F_e = (.5, 1), F_a = (.2, 1)
    KolmogorovSmirnov.Result ks =
        KolmogorovSmirnov.ofCounts(new double[] {50, 50}, new double[] {20, 80});
    assertThat(ks.distance()).isCloseTo(0.3, within(1e-12));
    assertThat(ks.at()).isZero();
    // Holm by hand: sorted .005 <= .0125, .01 <= .0167, .03 > .025: stop
    assertThat(Holm.reject(new double[] {0.01, 0.04, 0.03, 0.005}, 0.05))
        .containsExactly(true, false, false, true);
    // cumulative le buckets to counts; extrapolation noise never goes negative
    assertThat(Proportions.fromCumulative(new double[] {10, 30, 29.5, 60}))
        .containsExactly(10, 20, 0, 30);
  }

  @Test
  void noDataIsUndefined() {
    double[] empty = {0, 0, 0};
    double[] some = {1, 2, 3};
    assertThat(Psi.ofCounts(empty, some, 1e-4)).isNaN();
    assertThat(Psi.ofCounts(new double[0], new double[0], 1e-4)).isNaN();
    assertThat(KolmogorovSmirnov.ofCounts(empty, some).defined()).isFalse();
    assertThat(ChiSquare.homogeneity(empty, some).defined()).isFalse();
    assertThat(SampleRatio.check(0, 0, 0.5).pValue()).isNaN();
    assertThat(SampleRatio.check(0, 0, 0.5).mismatch()).as("no trials is no mismatch").isFalse();
  }

  @Test
  void zeroTrialsAndImpossibleCountsAreUndefined() {
    assertThat(TwoProportions.test(0, 0, 5, 10, 0.05).defined()).isFalse();
    assertThat(TwoProportions.test(5, 10, 0, 0, 0.05).defined()).isFalse();
    assertThat(TwoProportions.test(11, 10, 5, 10, 0.05).defined())
        .as("successes > trials")
        .isFalse();
    assertThat(TwoProportions.wilson(0, 0, 0.05).defined()).isFalse();
    assertThat(SampleSize.forRates(NAN, 0.01, 0.05, 0.8)).isEqualTo(-1);
    assertThat(SampleSize.forRates(0.1, 0, 0.05, 0.8)).isEqualTo(-1);
    assertThat(SampleSize.forRates(0.995, 0.01, 0.05, 0.8)).as("p2 beyond 1").isEqualTo(-1);
    assertThat(SampleSize.forMeans(0, 1, 0.05, 0.8)).isEqualTo(-1);
  }

  @Test
  void nanInputsAreUndefined() {
    assertThat(Psi.ofCounts(new double[] {1, NAN}, new double[] {1, 1}, 1e-4)).isNaN();
    assertThat(KolmogorovSmirnov.ofCounts(new double[] {1, NAN}, new double[] {1, 1}).defined())
        .isFalse();
    assertThat(ChiSquare.homogeneity(new double[] {1, NAN}, new double[] {1, 1}).defined())
        .isFalse();
    assertThat(TwoProportions.test(NAN, 10, 5, 10, 0.05).defined()).isFalse();
    assertThat(
            Welch.test(new Welch.Summary(NAN, 1, 10), new Welch.Summary(1, 1, 10), 0.05).defined())
        .isFalse();
    assertThat(MixtureSprt.look(NAN, 1, 1, 0.05, 1).defined()).isFalse();
    assertThat(Holm.reject(new double[] {NAN, 0.001}, 0.05)).containsExactly(false, true);
    assertThat(Holm.adjust(new double[] {NAN, 0.001})[0]).isNaN();
  }

  @Test
  void tinySamples() {
    // one observation per side has no variance: Welch is undefined rather than certain
    assertThat(Welch.Summary.fromSums(1, 5, 25).variance()).isNaN();
    assertThat(
            Welch.test(Welch.Summary.fromSums(1, 5, 25), Welch.Summary.fromSums(1, 6, 36), 0.05)
                .defined())
        .isFalse();
    // 1/1 vs 0/1: a z-test exists but says little; the interval spans most of [-1, 1]
    TwoProportions.Result r = TwoProportions.test(0, 1, 1, 1, 0.05);
    assertThat(r.pValue()).isGreaterThan(0.1);
    assertThat(r.interval().high() - r.interval().low()).isGreaterThan(1);
    // all successes on both sides: no evidence of a difference
    TwoProportions.Result same = TwoProportions.test(30, 30, 20, 20, 0.05);
    assertThat(same.pValue()).isEqualTo(1);
    // a single class seen on both sides: nothing differs
    assertThat(ChiSquare.homogeneity(new double[] {5, 0}, new double[] {7, 0}).pValue())
        .isEqualTo(1);
    // a KS p-value from 3 vs 2 samples is defined but large
    assertThat(KolmogorovSmirnov.ofCounts(new double[] {3, 0}, new double[] {0, 2}).pValue())
        .isBetween(0.0, 0.2);
  }

  @Test
  void noVarianceIsUndefinedNotCertain() {
    // a difference with V = 0 (0/2 vs 1/1, or a variance clamped to 0) is no evidence
    MixtureSprt.Result seq = MixtureSprt.look(1.0, 0, 0.05, 0.05, 1);
    assertThat(seq.defined()).isFalse();
    assertThat(seq.pValue()).isNaN();
    assertThat(MixtureSprt.look(0.0, 0, 0.05, 0.05, 0.3).defined()).isFalse();
    assertThat(MixtureSprt.look(0.01, -1e-9, 0.05, 0.05, 1).defined()).isFalse();
    Welch.Result w =
        Welch.test(new Welch.Summary(0.20, 0, 10), new Welch.Summary(0.21, 0, 10), 0.05);
    assertThat(w.defined()).isFalse();
    assertThat(w.pValue()).isNaN();
    assertThat(w.difference()).isCloseTo(0.01, within(1e-12));
    assertThat(
            Welch.test(new Welch.Summary(0.2, 0, 10), new Welch.Summary(0.2, 0, 10), 0.05)
                .defined())
        .isFalse();
    assertThat(
            Welch.test(new Welch.Summary(0.2, -1, 10), new Welch.Summary(0.2, 2, 10), 0.05)
                .defined())
        .as("a negative variance")
        .isFalse();
  }

  @Test
  void sumsGiveTheSampleVariance() {
    // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sample variance 32/7
    Welch.Summary s = Welch.Summary.fromSums(8, 40, 4 + 16 * 3 + 25 * 2 + 49 + 81);
    assertThat(s.mean()).isEqualTo(5);
    assertThat(s.variance()).isCloseTo(32.0 / 7, within(1e-12));
  }

  @Test
  void theAlwaysValidPValueOnlyGoesDown() {
    MixtureSprt.Result first = MixtureSprt.look(0.02, 0.0001, 0.02, 0.05, 1);
    MixtureSprt.Result later = MixtureSprt.look(0.0, 0.00005, 0.02, 0.05, first.pValue());
    assertThat(first.pValue()).isLessThan(1);
    assertThat(later.pValue()).isEqualTo(first.pValue());
    // the interval excludes 0 exactly when the p-value is below alpha
    MixtureSprt.Result strong = MixtureSprt.look(0.05, 0.0001, 0.02, 0.05, 1);
    assertThat(strong.pValue()).isLessThan(0.05);
    assertThat(strong.interval().low()).isGreaterThan(0);
    MixtureSprt.Result weak = MixtureSprt.look(0.01, 0.0001, 0.02, 0.05, 1);
    assertThat(weak.pValue()).isGreaterThan(0.05);
    assertThat(weak.interval().low()).isLessThan(0);
  }

  @Test
  void layoutsMustMatch() {
    assertThatThrownBy(() -> Psi.ofCounts(new double[] {1, 2}, new double[] {1}, 1e-4))
        .hasMessageContaining("bucket layouts differ");
    assertThatThrownBy(() -> KolmogorovSmirnov.ofCounts(new double[] {1, 2}, new double[] {1}))
        .hasMessageContaining("bucket layouts differ");
  }

  /**
   * A shadow that predicts almost exactly like stable: a distance of rounding size gives p = 1, not
   * an exception (Hipparchus' series gave up past 100,000 terms and failed the reconcile).
   */
  @Test
  void aNearlyZeroDistanceHasPValueOne() {
    for (double d : new double[] {2e-15, 1e-13, 1e-10, 1e-7, 1e-5}) {
      assertThat(KolmogorovSmirnov.pValue(d, 1200, 1200))
          .as("d = %s", d)
          .isCloseTo(1, within(1e-9));
    }
    double[] same = {300, 500, 400};
    double[] almost = {300.0000001, 500, 400};
    assertThat(KolmogorovSmirnov.ofCounts(same, almost).pValue()).isCloseTo(1, within(1e-9));
    // both sides of the switch to the small-argument series agree (t = d * sqrt(600) = 0.5)
    double at = KolmogorovSmirnov.SMALL_T / Math.sqrt(600);
    assertThat(KolmogorovSmirnov.pValue(at * (1 - 1e-9), 1200, 1200))
        .isCloseTo(KolmogorovSmirnov.pValue(at * (1 + 1e-9), 1200, 1200), within(1e-8));
    // Kolmogorov's distribution at 0.5 (tabulated: 0.0361)
    assertThat(KolmogorovSmirnov.kolmogorovCdfSmall(0.5)).isCloseTo(0.0361, within(1e-4));
  }
}
