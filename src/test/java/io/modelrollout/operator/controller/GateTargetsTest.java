package io.modelrollout.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelrollout.operator.api.ABTestSpec;
import io.modelrollout.operator.api.GateSpec;
import io.modelrollout.operator.testing.Fixtures;
import io.modelrollout.operator.testing.StrategyFixtures;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A gate's measurement deadline on the query pool covers every query it sends in turn. */
class GateTargetsTest {
  final GateTargets targets =
      new GateTargets(new OperatorSettings("http://p", Duration.ofSeconds(2)));

  @Test
  void aPlainGateHasOneQuerysTimeoutItsOwnOrTheOperators() {
    GateSpec g = Fixtures.gate("errors", "errors", 0.01);
    assertThat(targets.timeout(g)).isEqualTo(Duration.ofSeconds(2));
    g.prometheus.timeout = "5s";
    assertThat(targets.timeout(g)).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void aComparisonWithoutPrometheusSettingsGetsATimeoutPerQuery() {
    GateSpec histogram = StrategyFixtures.psiGate("drift", 0.1);
    assertThat(histogram.prometheus).isNull();
    assertThat(targets.timeout(histogram)).isEqualTo(Duration.ofSeconds(8));
    histogram.comparison.histogram = null;
    histogram.comparison.classes = "predictions_total";
    assertThat(targets.timeout(histogram)).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void anABMetricGetsATimeoutPerQueryOfBothVariants() {
    GateSpec g = new GateSpec();
    g.name = "ab-conversion";
    g.abMetric = StrategyFixtures.abTest("1m", "2m", 10).abTest.metrics.get(0);
    assertThat(targets.timeout(g)).isEqualTo(Duration.ofSeconds(8));
    g.abMetric = new ABTestSpec.ABMetric();
    g.abMetric.mean = new ABTestSpec.Mean();
    assertThat(targets.timeout(g)).isEqualTo(Duration.ofSeconds(12));
  }
}
