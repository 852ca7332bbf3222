package io.modelrollout.operator.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.modelrollout.operator.analysis.stats.Welch;
import io.modelrollout.operator.api.ABTestSpec;
import io.modelrollout.operator.api.ComparisonSpec;
import io.modelrollout.operator.api.ComparisonStatus;
import io.modelrollout.operator.api.ExperimentStatus;
import io.modelrollout.operator.api.ExperimentStatus.Decision;
import io.modelrollout.operator.testing.StrategyFixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Comparison gates and A/B metrics between the provider and the statistics: the queries sent, the
 * bucket layout check, class counts, the variance of a mean, and decisions over several metrics.
 */
class ShadowAndExperimentAnalysisTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final QueryTarget TARGET = QueryTarget.plain("http://prom", Duration.ofSeconds(1));
  static final Map<String, String> NEW = Map.of("model", "m", "version", "2");
  static final Map<String, String> OLD = Map.of("model", "m", "version", "1");

  /** Answers by query: a vector (by label) or a value. */
  static final class Fake implements MetricProvider {
    final Map<String, Map<String, Double>> vectors = new LinkedHashMap<>();
    final Map<String, Double> values = new LinkedHashMap<>();

    @Override
    public Measurement query(QueryTarget target, String query) {
      Double v = values.get(query);
      return v == null
          ? new Measurement.NoData(query, "no series")
          : new Measurement.Value(v, query);
    }

    @Override
    public Labeled queryByLabel(QueryTarget target, String query, String label) {
      Map<String, Double> v = vectors.get(query);
      return v == null ? Labeled.failed(new Measurement.NoData(query, "no series")) : Labeled.of(v);
    }
  }

  @Test
  void histogramsWithDifferentBucketBoundsAreNotCompared() {
    Fake p = new Fake();
    String q = "sum by (le) (increase(h_bucket{version=\"%s\"}[5m]))";
    p.vectors.put(q.formatted("2"), Map.of("0.5", 10.0, "1.0", 20.0, "+Inf", 30.0));
    p.vectors.put(q.formatted("1"), Map.of("0.5", 10.0, "2", 20.0, "+Inf", 30.0));
    ComparisonSpec c = new ComparisonSpec();
    c.histogram = "h";
    c.labels = "version=\"{{version}}\"";
    c.maxPSI = 0.1;
    Measurement m = new DistributionReader(p).read(c, TARGET, NEW, OLD);
    assertThat(m).isInstanceOf(Measurement.Error.class);
    assertThat(((Measurement.Error) m).message())
        .isEqualTo(
            "bucket layouts differ: the new revision has le=[0.5, 1, +Inf], stable le=[0.5, 2,"
                + " +Inf]");
  }

  @Test
  void sameBoundsWrittenDifferentlyAreOneLayoutAndCumulativeCountsBecomeBuckets() {
    Fake p = new Fake();
    String q = "sum by (le) (increase(h_bucket{version=\"%s\"}[5m]))";
    p.vectors.put(q.formatted("2"), Map.of("0.50", 10.0, "1.0", 30.0, "+Inf", 40.0));
    p.vectors.put(q.formatted("1"), Map.of("0.5", 20.0, "1", 30.0, "+Inf", 40.0));
    ComparisonSpec c = new ComparisonSpec();
    c.histogram = "h";
    c.labels = "version=\"{{version}}\"";
    c.maxKS = 0.2;
    Measurement.Distributions d =
        (Measurement.Distributions) new DistributionReader(p).read(c, TARGET, NEW, OLD);
    assertThat(d.labels()).containsExactly("0.5", "1", "+Inf");
    assertThat(d.canary()).containsExactly(10, 20, 10);
    assertThat(d.stable()).containsExactly(20, 10, 10);
    Comparisons.Result r = Comparisons.evaluate(c, d);
    assertThat(r.status().ks).isCloseTo(0.25, within(1e-12));
    assertThat(r.status().ksAt).isEqualTo("0.5");
    assertThat(r.pass()).isFalse();
  }

  @Test
  void classesUseChiSquareAndCategoricalPsiOverTheUnionOfClasses() {
    Fake p = new Fake();
    String q = "sum by (class) (increase(preds_total{version=\"%s\"}[5m]))";
    p.vectors.put(q.formatted("2"), Map.of("fraud", 30.0, "ok", 970.0, "review", 50.0));
    p.vectors.put(q.formatted("1"), Map.of("fraud", 20.0, "ok", 980.0));
    ComparisonSpec c = new ComparisonSpec();
    c.classes = "preds_total";
    c.labels = "version=\"{{version}}\"";
    c.minPValue = 0.01;
    Measurement.Distributions d =
        (Measurement.Distributions) new DistributionReader(p).read(c, TARGET, NEW, OLD);
    assertThat(d.histogram()).isFalse();
    assertThat(d.labels()).containsExactly("fraud", "ok", "review");
    assertThat(d.stable()).containsExactly(20, 980, 0);
    Comparisons.Result r = Comparisons.evaluate(c, d);
    assertThat(r.status().test).isEqualTo("ChiSquare");
    assertThat(r.status().pValue).isLessThan(0.01);
    assertThat(r.pass()).as("a class the new model invented").isFalse();
    assertThat(Comparisons.describe(c)).isEqualTo("chi-square p >= 0.01");
  }

  @Test
  void aMeanReadsSumCountAndTheVarianceFromSumsOfSquaresOrBuckets() {
    Fake p = new Fake();
    ABTestSpec.ABMetric m = new ABTestSpec.ABMetric();
    m.name = "basket";
    m.mean = new ABTestSpec.Mean();
    m.mean.metric = "basket";
    m.mean.sumOfSquares = "basket_squares";
    m.labels = "version=\"{{version}}\"";
    for (String v : List.of("1", "2")) {
      p.values.put("sum(increase(basket_count{version=\"" + v + "\"}[60s]))", 8.0);
      p.values.put("sum(increase(basket_sum{version=\"" + v + "\"}[60s]))", 40.0);
      p.values.put("sum(increase(basket_squares{version=\"" + v + "\"}[60s]))", 232.0);
    }
    Measurement.Samples s =
        (Measurement.Samples) new ExperimentReader(p).read(m, 60, TARGET, NEW, OLD);
    assertThat(s.rate()).isFalse();
    assertThat(s.control()).isEqualTo(new Measurement.Sums(8, 40, 232));

    // 4 in (0, 1], 4 in (1, 2], +Inf empty: midpoints 0.5 and 1.5 about their mean 1, plus the
    // spread within each bucket (width 1: 1/12), over n - 1 = 7
    Map<String, Double> buckets = Map.of("1", 4.0, "2", 8.0, "+Inf", 8.0);
    assertThat(ExperimentReader.bucketVariance(buckets))
        .isCloseTo(8 * (0.25 + 1.0 / 12) / 7, within(1e-12));
    assertThat(ExperimentReader.bucketVariance(Map.of("1", 1.0, "+Inf", 1.0)))
        .as("one observation has no variance")
        .isNaN();
  }

  /**
   * Every latency in (0.1, 0.25], means 0.20 and 0.21 from {@code _sum}: Σx²/n at the bucket
   * midpoint (0.0306) is below mean² (0.04), so mixing the two clamped the variance to 0 and the
   * sequential test called any difference certain. The variance now comes from the buckets alone.
   */
  @Test
  void aMeanFromAHistogramHasTheBucketsVarianceAndTenObservationsDecideNothing() {
    Fake p = new Fake();
    ABTestSpec.ABMetric m = new ABTestSpec.ABMetric();
    m.name = "latency";
    m.mean = new ABTestSpec.Mean();
    m.mean.metric = "latency";
    m.mean.histogram = true;
    m.labels = "version=\"{{version}}\"";
    m.better = ABTestSpec.Better.Lower;
    Map<String, Double> sums = Map.of("1", 2.0, "2", 2.1);
    for (String v : List.of("1", "2")) {
      p.values.put("sum(increase(latency_count{version=\"" + v + "\"}[60s]))", 10.0);
      p.values.put("sum(increase(latency_sum{version=\"" + v + "\"}[60s]))", sums.get(v));
      p.vectors.put(
          "sum by (le) (increase(latency_bucket{version=\"" + v + "\"}[60s]))",
          Map.of("0.1", 0.0, "0.25", 10.0, "+Inf", 10.0));
    }
    // what the midpoint Σx² beside the exact mean gave
    assertThat(Welch.Summary.fromSums(10, 2.0, 10 * 0.175 * 0.175).variance()).isZero();

    Measurement.Samples s =
        (Measurement.Samples) new ExperimentReader(p).read(m, 60, TARGET, NEW, OLD);
    Welch.Summary control =
        Welch.Summary.fromSums(s.control().n(), s.control().sum(), s.control().sumOfSquares());
    Welch.Summary treatment =
        Welch.Summary.fromSums(
            s.treatment().n(), s.treatment().sum(), s.treatment().sumOfSquares());
    assertThat(control.mean()).as("the mean stays _sum / _count").isCloseTo(0.20, within(1e-12));
    assertThat(treatment.mean()).isCloseTo(0.21, within(1e-12));
    // ten observations spread evenly over a bucket 0.15 wide: 10 * 0.15² / 12 / 9
    assertThat(control.variance()).isCloseTo(10 * 0.0225 / 12 / 9, within(1e-12));
    assertThat(treatment.variance()).isCloseTo(10 * 0.0225 / 12 / 9, within(1e-12));

    ABTestSpec spec = StrategyFixtures.abTest("1s", "1h", 5).abTest;
    spec.metrics = List.of(m);
    ExperimentStatus start = new ExperimentStatus();
    start.decision = Decision.Running;
    ExperimentStatus ex =
        ExperimentEvaluator.evaluate(spec, start, Map.of("latency", s), T0, T0.plusSeconds(30));
    assertThat(ex.decision).isEqualTo(Decision.Running);
    assertThat(ex.message).startsWith("running: no significant difference yet");
    assertThat(ex.metrics.get(0).difference.significant).isFalse();
    assertThat(ex.metrics.get(0).difference.sequentialPValue).as("Λ < 1").isEqualTo(1.0);
    assertThat(ex.metrics.get(0).difference.low).isLessThan(0);
  }

  @Test
  void aTinyFirstLookWithNoVarianceDecidesNothing() {
    // control 0/2, treatment 1/1: both rates are 0 or 1, so V = 0; before, p was 0 for ever
    ABTestSpec spec = StrategyFixtures.abTest("1s", "1h", 1).abTest;
    ExperimentStatus start = new ExperimentStatus();
    start.decision = Decision.Running;
    ExperimentStatus ex =
        ExperimentEvaluator.evaluate(
            spec,
            start,
            Map.of("conversion", StrategyFixtures.rate(2, 0, 1, 1)),
            T0,
            T0.plusSeconds(2));
    assertThat(ex.sampleRatio.mismatch).isFalse();
    assertThat(ex.decision).isEqualTo(Decision.Running);
    assertThat(ex.metrics.get(0).difference.significant).isFalse();
    assertThat(ex.metrics.get(0).difference.sequentialPValue).isNull();
    assertThat(ex.metrics.get(0).difference.estimate).isEqualTo(1.0);
    // nor does it leave a p-value of 0 behind for the next look
    ExperimentStatus next =
        ExperimentEvaluator.evaluate(
            spec,
            ex,
            Map.of("conversion", StrategyFixtures.rate(40, 4, 40, 5)),
            T0,
            T0.plusSeconds(4));
    assertThat(next.decision).isEqualTo(Decision.Running);
    assertThat(next.metrics.get(0).difference.sequentialPValue).isGreaterThan(0.05);
  }

  @Test
  void aLookWithZeroTrialsCarriesTheAlwaysValidPValueToTheNextLook() {
    ABTestSpec spec = StrategyFixtures.abTest("1s", "1h", 100).abTest;
    ExperimentStatus start = new ExperimentStatus();
    start.decision = Decision.Running;
    ExperimentStatus first =
        ExperimentEvaluator.evaluate(
            spec,
            start,
            Map.of("conversion", StrategyFixtures.rate(200, 20, 200, 40)),
            T0,
            T0.plusSeconds(2));
    Double p1 = first.metrics.get(0).difference.sequentialPValue;
    assertThat(p1).isBetween(0.05, 0.5);
    ExperimentStatus empty =
        ExperimentEvaluator.evaluate(
            spec,
            first,
            Map.of("conversion", StrategyFixtures.rate(0, 0, 0, 0)),
            T0,
            T0.plusSeconds(4));
    assertThat(empty.decision).isEqualTo(Decision.Running);
    assertThat(empty.metrics.get(0).difference.sequentialPValue)
        .as("a look with no trials is no evidence either way")
        .isEqualTo(p1);
    // the next look alone shows nothing (p 1): the running minimum still holds the first look's
    ExperimentStatus after =
        ExperimentEvaluator.evaluate(
            spec,
            empty,
            Map.of("conversion", StrategyFixtures.rate(400, 40, 400, 40)),
            T0,
            T0.plusSeconds(6));
    assertThat(after.metrics.get(0).difference.sequentialPValue).isEqualTo(p1);
  }

  @Test
  void aSignificantSequentialTestWaitsForMinSamplesPerVariant() {
    ABTestSpec spec = StrategyFixtures.abTest("1s", "1h", 1000).abTest;
    ExperimentStatus start = new ExperimentStatus();
    start.decision = Decision.Running;
    ExperimentStatus ex =
        ExperimentEvaluator.evaluate(
            spec,
            start,
            Map.of("conversion", StrategyFixtures.rate(600, 60, 600, 150)),
            T0,
            T0.plusSeconds(30));
    assertThat(ex.metrics.get(0).difference.sequentialPValue)
        .as("past minDuration with strong evidence")
        .isLessThan(0.001);
    assertThat(ex.metrics.get(0).difference.significant).isFalse();
    assertThat(ex.decision).isEqualTo(Decision.Running);
    assertThat(ex.message).startsWith("running: waiting for 1000 trials per variant; ");
    // with minSamples reached the same evidence decides
    ExperimentStatus enough =
        ExperimentEvaluator.evaluate(
            spec,
            ex,
            Map.of("conversion", StrategyFixtures.rate(1000, 100, 1000, 250)),
            T0,
            T0.plusSeconds(40));
    assertThat(enough.decision).isEqualTo(Decision.TreatmentWins);
  }

  @Test
  void theBucketRowsAreCappedAndTheRestSummedIntoTheLastRow() {
    int n = ComparisonStatus.MAX_BUCKETS + 5;
    List<String> labels = new java.util.ArrayList<>();
    double[] stable = new double[n];
    double[] canary = new double[n];
    for (int i = 0; i < n; i++) {
      labels.add(i == n - 1 ? "+Inf" : String.valueOf(i + 1));
      stable[i] = 1;
      canary[i] = i < ComparisonStatus.MAX_BUCKETS - 1 ? 0 : 2;
    }
    List<ComparisonStatus.Bucket> rows =
        Comparisons.buckets(new Measurement.Distributions(labels, stable, canary, true, "q"));
    assertThat(rows).hasSize(20);
    ComparisonStatus.Bucket last = rows.get(19);
    assertThat(last.bucket).isEqualTo("20 and 5 more");
    assertThat(last.stable).isEqualTo(0.24); // 6 of 25
    assertThat(last.canary).isEqualTo(1.0);
  }

  @Test
  void aHistogramWithoutInfBucketIsScaledToItsCount() {
    Fake p = new Fake();
    String q = "sum by (le) (increase(h_bucket{version=\"%s\"}[5m]))";
    p.vectors.put(q.formatted("2"), Map.of("0.5", 10.0, "1", 30.0));
    p.vectors.put(q.formatted("1"), Map.of("0.5", 10.0, "1", 30.0));
    // 60 observations, half of them above the last bound the buckets show
    p.values.put("sum(increase(h_count{version=\"2\"}[5m]))", 60.0);
    p.values.put("sum(increase(h_count{version=\"1\"}[5m]))", 30.0);
    ComparisonSpec c = new ComparisonSpec();
    c.histogram = "h";
    c.labels = "version=\"{{version}}\"";
    c.maxPSI = 0.1;
    Measurement.Distributions d =
        (Measurement.Distributions) new DistributionReader(p).read(c, TARGET, NEW, OLD);
    assertThat(d.canary()).containsExactly(20, 40);
    assertThat(d.stable()).as("_count equals the buckets: unchanged").containsExactly(10, 20);
    assertThat(Comparisons.evaluate(c, d).status().canarySamples).isEqualTo(60);
  }

  @Test
  void severalMetricsAreCorrectedWithHolmAndALossOnAnyIsALoss() {
    ABTestSpec spec = StrategyFixtures.abTest("1s", "1h", 100).abTest;
    ABTestSpec.ABMetric latency = new ABTestSpec.ABMetric();
    latency.name = "latency";
    latency.mean = new ABTestSpec.Mean();
    latency.mean.metric = "latency";
    latency.mean.sumOfSquares = "sq";
    latency.labels = "v=\"{{version}}\"";
    latency.better = ABTestSpec.Better.Lower;
    latency.minimumDetectableEffect = 0.01;
    spec.metrics = List.of(spec.metrics.get(0), latency);
    ExperimentStatus start = new ExperimentStatus();
    start.decision = Decision.Running;
    // conversion clearly better; latency clearly worse (higher): a loss wins over a gain
    Map<String, Measurement> m = new LinkedHashMap<>();
    m.put("conversion", StrategyFixtures.rate(5000, 500, 5000, 700));
    m.put(
        "latency",
        new Measurement.Samples(
            sums(5000, 0.20, 0.02), sums(5000, 0.25, 0.02), false, "q(latency)"));
    ExperimentStatus ex = ExperimentEvaluator.evaluate(spec, start, m, T0, T0.plusSeconds(30));
    assertThat(ex.decision).isEqualTo(Decision.ControlWins);
    assertThat(ex.metrics).extracting(x -> x.difference.significant).containsExactly(true, true);
    assertThat(ex.metrics.get(1).kind).isEqualTo("Mean");
    assertThat(ex.metrics.get(1).treatment.value).isCloseTo(0.25, within(1e-9));
    assertThat(ex.message).contains("latency").contains("control better");

    // a borderline gain that passes alone does not pass at the Holm-adjusted level
    m.put("conversion", StrategyFixtures.rate(5000, 500, 5000, 560));
    m.put(
        "latency",
        new Measurement.Samples(sums(5000, 0.2, 0.02), sums(5000, 0.2, 0.02), false, "q"));
    ExperimentStatus weak = ExperimentEvaluator.evaluate(spec, start, m, T0, T0.plusSeconds(30));
    assertThat(weak.decision).isEqualTo(Decision.Running);
  }

  @Test
  void noDataAtALookKeepsTheEvidenceSoFarAndDecidesNothing() {
    ABTestSpec spec = StrategyFixtures.abTest("1s", "1h", 100).abTest;
    ExperimentStatus start = new ExperimentStatus();
    start.decision = Decision.Running;
    ExperimentStatus first =
        ExperimentEvaluator.evaluate(
            spec,
            start,
            Map.of("conversion", StrategyFixtures.rate(50, 5, 50, 9)),
            T0,
            T0.plusSeconds(2));
    ExperimentStatus none =
        ExperimentEvaluator.evaluate(
            spec,
            first,
            Map.of("conversion", new Measurement.NoData("q", "no series")),
            T0,
            T0.plusSeconds(4));
    assertThat(none.decision).isEqualTo(Decision.Running);
    assertThat(none.metrics.get(0).difference.sequentialPValue)
        .isEqualTo(first.metrics.get(0).difference.sequentialPValue);
    assertThat(none.sampleRatio.mismatch).as("no trials, no mismatch").isFalse();
    assertThat(none.looks).isEqualTo(2);
  }

  /** n observations with this mean and standard deviation, as sums. */
  private static Measurement.Sums sums(double n, double mean, double sd) {
    double sum = n * mean;
    double squares = sd * sd * (n - 1) + n * mean * mean;
    return new Measurement.Sums(n, sum, squares);
  }
}
