package io.modelrollout.operator.analysis.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.stream.StreamSupport;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every statistic against values computed independently with SciPy and statsmodels
 * (src/test/resources/stats/fixtures.json, made by hack/stats-fixtures/make_fixtures.py).
 */
class StatsFixturesTest {
  static JsonNode f;

  @BeforeAll
  static void load() throws Exception {
    try (InputStream in = StatsFixturesTest.class.getResourceAsStream("/stats/fixtures.json")) {
      f = new ObjectMapper().readTree(in);
    }
    assertThat(f.get("source").asText()).contains("SciPy");
  }

  @Test
  void psi() {
    for (JsonNode c : f.get("psi")) {
      assertThat(Psi.ofCounts(d(c, "expected"), d(c, "actual"), c.get("epsilon").asDouble()))
          .as(c.toString())
          .isCloseTo(c.get("psi").asDouble(), rel(c.get("psi").asDouble(), 1e-9));
    }
  }

  @Test
  void kolmogorovSmirnovOnBucketsEqualsScipyOnTheRawSamplesWhenSamplesSitOnTheBounds() {
    for (JsonNode c : f.get("ks")) {
      KolmogorovSmirnov.Result r = KolmogorovSmirnov.ofCounts(d(c, "expected"), d(c, "actual"));
      assertThat(r.distance())
          .as(c.toString())
          .isCloseTo(c.get("distance").asDouble(), within(1e-12));
      double p = c.get("pValue").asDouble();
      assertThat(r.pValue()).as(c.toString()).isCloseTo(p, within(Math.max(1e-12, p * 1e-6)));
    }
  }

  @Test
  void chiSquareHomogeneity() {
    for (JsonNode c : f.get("chiSquare")) {
      ChiSquare.Result r = ChiSquare.homogeneity(d(c, "a"), d(c, "b"));
      assertThat(r.statistic())
          .as(c.toString())
          .isCloseTo(c.get("statistic").asDouble(), within(1e-9));
      assertThat(r.df()).isEqualTo(c.get("df").asInt());
      assertThat(r.pValue())
          .isCloseTo(c.get("pValue").asDouble(), rel(c.get("pValue").asDouble(), 1e-8));
    }
  }

  @Test
  void sampleRatioGoodnessOfFit() {
    for (JsonNode c : f.get("goodnessOfFit")) {
      SampleRatio.Result r =
          SampleRatio.check(
              c.get("control").asDouble(),
              c.get("treatment").asDouble(),
              c.get("share").asDouble());
      double p = c.get("pValue").asDouble();
      assertThat(r.statistic())
          .as(c.toString())
          .isCloseTo(c.get("statistic").asDouble(), within(1e-8));
      assertThat(r.pValue()).as(c.toString()).isCloseTo(p, rel(p, 1e-8));
      assertThat(r.mismatch()).isEqualTo(p < 0.001);
    }
  }

  @Test
  void twoProportionsZTestWilsonAndNewcombe() {
    for (JsonNode c : f.get("proportions")) {
      TwoProportions.Result r =
          TwoProportions.test(
              c.get("cs").asDouble(),
              c.get("cn").asDouble(),
              c.get("ts").asDouble(),
              c.get("tn").asDouble(),
              0.05);
      assertThat(r.z()).as(c.toString()).isCloseTo(c.get("z").asDouble(), within(1e-9));
      assertThat(r.pValue()).as(c.toString()).isCloseTo(c.get("pValue").asDouble(), within(1e-12));
      assertThat(r.interval().low())
          .as(c.toString())
          .isCloseTo(c.get("low").asDouble(), within(1e-9));
      assertThat(r.interval().high())
          .as(c.toString())
          .isCloseTo(c.get("high").asDouble(), within(1e-9));
      TwoProportions.Interval w =
          TwoProportions.wilson(c.get("ts").asDouble(), c.get("tn").asDouble(), 0.05);
      assertThat(w.low()).isCloseTo(c.get("wilsonLow").asDouble(), within(1e-9));
      assertThat(w.high()).isCloseTo(c.get("wilsonHigh").asDouble(), within(1e-9));
    }
  }

  @Test
  void welchFromSummaries() {
    for (JsonNode c : f.get("welch")) {
      Welch.Summary control =
          new Welch.Summary(
              c.get("controlMean").asDouble(),
              sq(c.get("controlSd").asDouble()),
              c.get("controlN").asDouble());
      Welch.Summary treatment =
          new Welch.Summary(
              c.get("treatmentMean").asDouble(),
              sq(c.get("treatmentSd").asDouble()),
              c.get("treatmentN").asDouble());
      Welch.Result r = Welch.test(control, treatment, 0.05);
      assertThat(r.t()).as(c.toString()).isCloseTo(c.get("t").asDouble(), within(1e-9));
      assertThat(r.df()).isCloseTo(c.get("df").asDouble(), within(1e-8));
      assertThat(r.pValue()).isCloseTo(c.get("pValue").asDouble(), within(1e-9));
      assertThat(r.interval().low()).isCloseTo(c.get("low").asDouble(), within(1e-8));
      assertThat(r.interval().high()).isCloseTo(c.get("high").asDouble(), within(1e-8));
    }
  }

  @Test
  void mixtureLikelihoodRatioEqualsTheNumericalIntegralOverTheMixingDistribution() {
    for (JsonNode c : f.get("msprt")) {
      MixtureSprt.Result r =
          MixtureSprt.look(
              c.get("estimate").asDouble(),
              c.get("variance").asDouble(),
              c.get("tau").asDouble(),
              0.05,
              1);
      double lambda = c.get("likelihoodRatio").asDouble();
      assertThat(r.likelihoodRatio()).as(c.toString()).isCloseTo(lambda, rel(lambda, 1e-7));
      assertThat(r.pValue())
          .isCloseTo(c.get("pValue").asDouble(), rel(c.get("pValue").asDouble(), 1e-7));
    }
  }

  @Test
  void holm() {
    for (JsonNode c : f.get("holm")) {
      double[] p = d(c, "p");
      boolean[] rejected = Holm.reject(p, 0.05);
      double[] adjusted = Holm.adjust(p);
      for (int i = 0; i < p.length; i++) {
        assertThat(rejected[i]).as(c + " #" + i).isEqualTo(c.get("reject").get(i).asBoolean());
        assertThat(adjusted[i]).isCloseTo(c.get("adjusted").get(i).asDouble(), within(1e-12));
      }
    }
  }

  @Test
  void sampleSize() {
    for (JsonNode c : f.get("sampleSize")) {
      long n =
          "rate".equals(c.get("kind").asText())
              ? SampleSize.forRates(
                  c.get("baseline").asDouble(), c.get("effect").asDouble(),
                  c.get("alpha").asDouble(), c.get("power").asDouble())
              : SampleSize.forMeans(
                  c.get("sd").asDouble(),
                  c.get("effect").asDouble(),
                  c.get("alpha").asDouble(),
                  c.get("power").asDouble());
      assertThat(n).as(c.toString()).isEqualTo(c.get("n").asLong());
    }
  }

  private static double[] d(JsonNode c, String field) {
    return StreamSupport.stream(c.get(field).spliterator(), false)
        .mapToDouble(JsonNode::asDouble)
        .toArray();
  }

  private static Offset<Double> rel(double expected, double tolerance) {
    return within(Math.max(1e-300, Math.abs(expected) * tolerance));
  }

  private static double sq(double x) {
    return x * x;
  }
}
