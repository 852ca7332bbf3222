package io.modelrollout.operator.analysis;

import io.modelrollout.operator.analysis.stats.Holm;
import io.modelrollout.operator.analysis.stats.MixtureSprt;
import io.modelrollout.operator.analysis.stats.SampleRatio;
import io.modelrollout.operator.analysis.stats.SampleSize;
import io.modelrollout.operator.analysis.stats.TwoProportions;
import io.modelrollout.operator.analysis.stats.Welch;
import io.modelrollout.operator.api.ABTestSpec;
import io.modelrollout.operator.api.Durations;
import io.modelrollout.operator.api.ExperimentStatus;
import io.modelrollout.operator.api.ExperimentStatus.Decision;
import io.modelrollout.operator.support.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One look at an A/B test (pure). Every look: the sample-ratio check (a mismatch makes the test
 * Invalid, never a winner) and the always-valid mixture SPRT per primary metric, with Holm's
 * correction across metrics; it may decide only after minDuration with minSamples per variant. At
 * maxDuration, if the sequential test has not decided, the fixed-horizon test (two-proportion
 * z-test with Newcombe's interval, or Welch's t-test) decides once: a winner, NoDifference when
 * every variant reached the sample-size hint (or minSamples without a minimum detectable effect),
 * else Inconclusive. A significant loss on any metric is ControlWins.
 */
public final class ExperimentEvaluator {
  private ExperimentEvaluator() {}

  /** One metric's numbers at this look. */
  private record Look(
      ExperimentStatus.MetricResult result,
      double estimate,
      double variance,
      double controlSd,
      double controlValue,
      double controlN,
      double treatmentN,
      double fixedP,
      TwoProportions.Interval fixedInterval,
      MixtureSprt.Result sequential) {}

  public static ExperimentStatus evaluate(
      ABTestSpec spec,
      ExperimentStatus previous,
      Map<String, Measurement> measurements,
      Instant started,
      Instant now) {
    ExperimentStatus ex = Json.copy(previous, ExperimentStatus.class);
    ex.looks = (ex.looks == null ? 0 : ex.looks) + 1;
    ex.evaluatedAt = now.toString();
    double alpha = spec.significanceOrDefault();
    int m = spec.metrics.size();
    List<Look> looks = new ArrayList<>();
    for (ABTestSpec.ABMetric metric : spec.metrics) {
      looks.add(look(metric, measurements.get(metric.name), previous, alpha));
    }
    ex.metrics = looks.stream().map(Look::result).toList();
    if (ex.sampleSizeHint == null) {
      ex.sampleSizeHint = hint(spec, looks, alpha / m);
    }

    Look first = looks.get(0);
    double share = spec.treatmentWeightOrDefault() / 100.0;
    SampleRatio.Result srm = SampleRatio.check(first.controlN(), first.treatmentN(), share);
    ex.sampleRatio = new ExperimentStatus.SampleRatio();
    ex.sampleRatio.control = Math.round(first.controlN());
    ex.sampleRatio.treatment = Math.round(first.treatmentN());
    ex.sampleRatio.expectedTreatmentShare = share;
    ex.sampleRatio.pValue = finite(srm.pValue());
    ex.sampleRatio.mismatch = srm.mismatch();
    if (srm.mismatch()) {
      ex.decision = Decision.Invalid;
      ex.message =
          String.format(
              "sample ratio mismatch: control %d and treatment %d trials for an expected"
                  + " treatment share of %s (chi-square p = %s < %s); the assignment is broken,"
                  + " no winner is picked",
              ex.sampleRatio.control,
              ex.sampleRatio.treatment,
              Thresholds.fmt(share),
              fmtP(srm.pValue()),
              Thresholds.fmt(SampleRatio.THRESHOLD));
      return ex;
    }

    Duration elapsed = Duration.between(started, now);
    boolean atEnd = elapsed.compareTo(Durations.parse(spec.maxDuration)) >= 0;
    boolean longEnough = elapsed.compareTo(Durations.parse(spec.minDuration)) >= 0;
    long minSamples = spec.minSamplesOrDefault();
    boolean enough =
        looks.stream().allMatch(l -> l.controlN() >= minSamples && l.treatmentN() >= minSamples);

    boolean[] sequential =
        Holm.reject(looks.stream().mapToDouble(l -> l.sequential().pValue()).toArray(), alpha);
    boolean[] fixed = new boolean[m];
    if (atEnd && enough) {
      for (Look l : looks) {
        l.result().difference.pValue = finite(l.fixedP());
        if (l.fixedInterval().defined()) {
          l.result().difference.low = l.fixedInterval().low();
          l.result().difference.high = l.fixedInterval().high();
          l.result().difference.interval = "Rate".equals(l.result().kind) ? "Newcombe" : "Welch";
        }
      }
      fixed = Holm.reject(looks.stream().mapToDouble(Look::fixedP).toArray(), alpha);
    }
    boolean any = false;
    boolean loss = false;
    List<String> said = new ArrayList<>();
    for (int i = 0; i < m; i++) {
      Look l = looks.get(i);
      boolean significant = (longEnough && enough && sequential[i]) || fixed[i];
      l.result().difference.significant = significant;
      if (significant) {
        any = true;
        boolean higherBetter = spec.metrics.get(i).betterOrDefault() == ABTestSpec.Better.Higher;
        boolean treatmentBetter = (l.estimate() > 0) == higherBetter;
        loss |= !treatmentBetter;
        said.add(describe(l, treatmentBetter ? "treatment better" : "control better"));
      }
    }
    if (any) {
      ex.decision = loss ? Decision.ControlWins : Decision.TreatmentWins;
      ex.message = String.join("; ", said) + " (α " + Thresholds.fmt(alpha) + ", Holm)";
      return ex;
    }
    if (!atEnd) {
      ex.decision = Decision.Running;
      ex.message = running(looks, longEnough, enough, minSamples);
      return ex;
    }
    long needed = ex.sampleSizeHint == null ? minSamples : Math.max(minSamples, ex.sampleSizeHint);
    boolean powered =
        enough && looks.stream().allMatch(l -> l.controlN() >= needed && l.treatmentN() >= needed);
    ex.decision = powered ? Decision.NoDifference : Decision.Inconclusive;
    ex.message =
        powered
            ? "no significant difference at maxDuration with "
                + needed
                + "+ trials per variant: "
                + String.join(
                    "; ", looks.stream().map(l -> describe(l, "not significant")).toList())
            : "inconclusive at maxDuration: fewer than "
                + needed
                + " trials per variant ("
                + String.join(
                    "; ",
                    looks.stream()
                        .map(
                            l ->
                                l.result().name
                                    + " control "
                                    + Math.round(l.controlN())
                                    + ", treatment "
                                    + Math.round(l.treatmentN()))
                        .toList())
                + "); never promoted";
    return ex;
  }

  private static Look look(
      ABTestSpec.ABMetric metric,
      Measurement measurement,
      ExperimentStatus previous,
      double alpha) {
    ExperimentStatus.MetricResult r = new ExperimentStatus.MetricResult();
    r.name = metric.name;
    r.kind = metric.rate != null ? "Rate" : "Mean";
    r.better = metric.betterOrDefault().name();
    r.difference = new ExperimentStatus.Difference();
    TwoProportions.Interval none = new TwoProportions.Interval(Double.NaN, Double.NaN);
    double prevP = previousP(previous, metric.name);
    if (!(measurement instanceof Measurement.Samples s)) {
      // no data at this look: the always-valid p-value so far still holds
      r.difference.sequentialPValue = prevP < 1 ? prevP : null;
      return new Look(
          r,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          0,
          0,
          Double.NaN,
          none,
          new MixtureSprt.Result(Double.NaN, Double.NaN, Double.NaN, prevP, none));
    }
    Measurement.Sums c = s.control();
    Measurement.Sums t = s.treatment();
    double cv;
    double tv;
    double variance;
    double controlSd;
    double fixedP;
    TwoProportions.Interval fixedInterval;
    if (s.rate()) {
      TwoProportions.Result z = TwoProportions.test(c.sum(), c.n(), t.sum(), t.n(), alpha);
      cv = z.control();
      tv = z.treatment();
      variance = cv * (1 - cv) / c.n() + tv * (1 - tv) / t.n();
      controlSd = Math.sqrt(cv * (1 - cv));
      fixedP = z.pValue();
      fixedInterval = z.interval();
    } else {
      Welch.Summary sc = Welch.Summary.fromSums(c.n(), c.sum(), c.sumOfSquares());
      Welch.Summary sv = Welch.Summary.fromSums(t.n(), t.sum(), t.sumOfSquares());
      Welch.Result w = Welch.test(sc, sv, alpha);
      cv = sc.mean();
      tv = sv.mean();
      variance = sc.variance() / sc.n() + sv.variance() / sv.n();
      controlSd = Math.sqrt(sc.variance());
      fixedP = w.pValue();
      fixedInterval = w.interval();
    }
    double estimate = tv - cv;
    double tau =
        metric.minimumDetectableEffect != null && metric.minimumDetectableEffect != 0
            ? Math.abs(metric.minimumDetectableEffect)
            : Math.abs(cv) * 0.1;
    MixtureSprt.Result seq = MixtureSprt.look(estimate, variance, tau, alpha, prevP);
    boolean informative = seq.defined();
    if (!informative) {
      // no trials, or no variance yet (0/2 vs 1/1): this look adds no evidence and takes none
      // away; the always-valid p-value so far holds, as when there is no data at all
      seq = new MixtureSprt.Result(estimate, variance, Double.NaN, prevP, none);
    }
    r.control = new ExperimentStatus.Variant(Math.round(c.n()), finite(cv));
    r.treatment = new ExperimentStatus.Variant(Math.round(t.n()), finite(tv));
    r.difference.estimate = finite(estimate);
    r.difference.sequentialPValue =
        informative ? finite(seq.pValue()) : prevP < 1 ? finite(prevP) : null;
    if (seq.interval().defined()) {
      r.difference.low = seq.interval().low();
      r.difference.high = seq.interval().high();
      r.difference.interval = "AlwaysValid";
    }
    return new Look(r, estimate, variance, controlSd, cv, c.n(), t.n(), fixedP, fixedInterval, seq);
  }

  /** The always-valid p-value so far (1 before the first look). */
  private static double previousP(ExperimentStatus previous, String metric) {
    if (previous == null || previous.metrics == null) return 1;
    return previous.metrics.stream()
        .filter(x -> metric.equals(x.name) && x.difference != null)
        .map(x -> x.difference.sequentialPValue)
        .filter(p -> p != null)
        .findFirst()
        .orElse(1.0);
  }

  /** Trials per variant for the largest need among metrics with a minimum detectable effect. */
  private static Long hint(ABTestSpec spec, List<Look> looks, double alpha) {
    long best = -1;
    for (int i = 0; i < looks.size(); i++) {
      Double mde = spec.metrics.get(i).minimumDetectableEffect;
      Look l = looks.get(i);
      if (mde == null || Double.isNaN(l.controlValue())) continue;
      long n =
          "Rate".equals(l.result().kind)
              ? SampleSize.forRates(l.controlValue(), mde, alpha, spec.powerOrDefault())
              : SampleSize.forMeans(l.controlSd(), mde, alpha, spec.powerOrDefault());
      best = Math.max(best, n);
    }
    return best > 0 ? best : null;
  }

  private static String running(
      List<Look> looks, boolean longEnough, boolean enough, long minSamples) {
    if (!longEnough) {
      return "running: minDuration not reached; " + summary(looks);
    }
    if (!enough) {
      return "running: waiting for " + minSamples + " trials per variant; " + summary(looks);
    }
    return "running: no significant difference yet; " + summary(looks);
  }

  private static String summary(List<Look> looks) {
    return String.join(
        "; ",
        looks.stream()
            .map(
                l ->
                    l.result().name
                        + " control "
                        + fmt(l.result().control)
                        + " vs treatment "
                        + fmt(l.result().treatment))
            .toList());
  }

  private static String fmt(ExperimentStatus.Variant v) {
    if (v == null || v.value == null) return "no data";
    return Thresholds.fmt(v.value) + " (" + v.samples + ")";
  }

  private static String describe(Look l, String verdict) {
    ExperimentStatus.Difference d = l.result().difference;
    String p =
        d.pValue != null
            ? "p " + fmtP(d.pValue)
            : "always-valid p " + (d.sequentialPValue == null ? "n/a" : fmtP(d.sequentialPValue));
    String ci =
        d.low == null
            ? ""
            : ", "
                + d.interval
                + " CI ["
                + Thresholds.fmt(d.low)
                + ", "
                + Thresholds.fmt(d.high)
                + "]";
    return l.result().name
        + ": control "
        + fmt(l.result().control)
        + ", treatment "
        + fmt(l.result().treatment)
        + ", difference "
        + (d.estimate == null ? "n/a" : Thresholds.fmt(d.estimate))
        + ci
        + ", "
        + p
        + ": "
        + verdict;
  }

  /** A p-value in words: 0.0123, or 2.96e-50 rather than fifty zeros. */
  static String fmtP(double p) {
    if (p > 0 && p < 1e-4) {
      return String.format(java.util.Locale.ROOT, "%.3g", p).replaceFirst("\\.?0+e", "e");
    }
    return Thresholds.fmt(p);
  }

  private static Double finite(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
  }
}
