package io.modelrollout.operator.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelrollout.operator.api.GateSpec;
import io.modelrollout.operator.api.GateStatus;
import io.modelrollout.operator.api.Verdict;
import io.modelrollout.operator.testing.Fixtures;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Verdicts of a gate over a sequence of measurements. */
class GateEvaluatorTest {
  static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  /**
   * A sequence of measurements: numbers are values, N is no data, E is an error (unreachable), NaN
   * is not a number. The gate: max 0.01, plus the limits in the row.
   */
  @ParameterizedTest(
      name = "[{0}] count={1} failureLimit={2} inconclusiveLimit={3} noData={4} -> {5}")
  @CsvSource({
    "0.001                 , 1, 0, 0, Inconclusive, Pass",
    "0.001;0.002           , 2, 0, 0, Inconclusive, Pass",
    "0.001                 , 2, 0, 0, Inconclusive, Pending",
    "0.01                  , 1, 0, 0, Inconclusive, Pass",
    "0.02                  , 1, 0, 0, Inconclusive, Fail",
    "0.02                  , 1, 1, 0, Inconclusive, Pending",
    "0.02;0.03             , 1, 1, 0, Inconclusive, Fail",
    "0.02;0.001            , 1, 1, 0, Inconclusive, Pass",
    "N                     , 1, 0, 0, Inconclusive, Inconclusive",
    "N                     , 1, 0, 0, Fail        , Fail",
    "N                     , 1, 0, 0, Pass        , Pass",
    "E                     , 1, 0, 0, Pass        , Inconclusive",
    "NaN                   , 1, 0, 0, Inconclusive, Inconclusive",
    "E;E;E                 , 1, 0, 0, Inconclusive, Inconclusive",
    "E;E;E                 , 1, 0, 2, Inconclusive, Fail",
    "E;E;0.001             , 1, 0, 2, Inconclusive, Pass",
    "E;0.001;E;E           , 2, 0, 2, Inconclusive, Inconclusive",
  })
  void verdicts(
      String sequence,
      int count,
      int failureLimit,
      int inconclusiveLimit,
      String noData,
      Verdict expected) {
    GateSpec g = Fixtures.gate("errors", "q", 0.01);
    g.count = count;
    g.failureLimit = failureLimit;
    g.inconclusiveLimit = inconclusiveLimit;
    g.noData = GateSpec.NoDataPolicy.valueOf(noData.trim());
    GateStatus s = null;
    for (String m : sequence.trim().split(";")) {
      s = GateEvaluator.evaluate(g, s, measurement(m), T);
    }
    assertThat(s.verdict).isEqualTo(expected);
    assertThat(s.measuredAt).isEqualTo(T.toString());
    assertThat(s.threshold).isEqualTo("<= 0.01");
  }

  @ParameterizedTest(name = "canary {0} vs stable {1}: {2}")
  @CsvSource({
    "0.105, 0.1, Pass",
    "0.111, 0.1, Fail",
    "0.0061, 0.001, Fail",
    "0.0059, 0.001, Pass",
    "0.2, 0.0, Fail",
  })
  void relativeGatesCompareWithTheStableRevision(double canary, double stable, Verdict expected) {
    GateSpec g = Fixtures.gate("latency", "q", 100);
    g.compareTo = GateSpec.Baseline.Stable;
    g.maxIncreasePercent = 10.0;
    g.maxIncrease = 0.005;
    g.count = 1;
    GateStatus s = GateEvaluator.evaluate(g, null, new Measurement.Value(canary, stable, "q"), T);
    assertThat(s.verdict).isEqualTo(expected);
    assertThat(s.threshold).contains("<= stable " + Thresholds.fmt(stable) + " + 10%");
  }

  @ParameterizedTest
  @CsvSource({"0.95, 0.97, Pass", "0.90, 0.97, Fail"})
  void relativeGatesBoundDecreasesToo(double canary, double stable, Verdict expected) {
    GateSpec g = Fixtures.gate("success", "q", 1);
    g.compareTo = GateSpec.Baseline.Stable;
    g.maxDecrease = 0.05;
    g.count = 1;
    assertThat(
            GateEvaluator.evaluate(g, null, new Measurement.Value(canary, stable, "q"), T).verdict)
        .isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void aRelativeGateWithoutABaselineIsInconclusive() {
    GateSpec g = Fixtures.gate("latency", "q", 100);
    g.compareTo = GateSpec.Baseline.Stable;
    g.maxIncreasePercent = 10.0;
    GateStatus s = GateEvaluator.evaluate(g, null, new Measurement.Value(1, "q"), T);
    assertThat(s.verdict).isEqualTo(Verdict.Inconclusive);
  }

  private static Measurement measurement(String m) {
    return switch (m.trim()) {
      case "N" -> new Measurement.NoData("q", "no series");
      case "E" -> new Measurement.Error(Measurement.ErrorKind.UNREACHABLE, "refused", "q");
      case "NaN" -> new Measurement.Value(Double.NaN, "q");
      default -> new Measurement.Value(Double.parseDouble(m.trim()), "q");
    };
  }
}
