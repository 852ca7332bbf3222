package io.modelrollout.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelrollout.operator.analysis.QueryTarget;
import io.modelrollout.operator.api.ABTestSpec;
import io.modelrollout.operator.api.GateSpec;
import io.modelrollout.operator.testing.Fixtures;
import io.modelrollout.operator.testing.StrategyFixtures;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A gate's measurement deadline on the query pool covers every query it sends in turn; the
 * operator's Prometheus token goes to its default Prometheus only.
 */
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

  @Test
  void theOperatorsTokenGoesToTheDefaultPrometheusOnly() throws Exception {
    GateTargets withToken =
        new GateTargets(
            new OperatorSettings(
                "http://prometheus.monitoring:9090",
                Duration.ofSeconds(2),
                8,
                false,
                Duration.ofSeconds(10),
                "operator-token"));
    GateSpec plain = Fixtures.gate("errors", "errors", 0.01);
    QueryTarget t = withToken.target(plain, "team-a", null);
    assertThat(t.address()).isEqualTo("http://prometheus.monitoring:9090");
    assertThat(t.bearerToken()).isEqualTo("operator-token");

    GateSpec comparison = StrategyFixtures.psiGate("drift", 0.1); // no prometheus section at all
    assertThat(withToken.target(comparison, "team-a", null).bearerToken())
        .isEqualTo("operator-token");

    GateSpec elsewhere = Fixtures.gate("errors", "errors", 0.01);
    elsewhere.prometheus.address = "https://someone-elses-prometheus.example";
    QueryTarget own = withToken.target(elsewhere, "team-a", null);
    assertThat(own.address()).isEqualTo("https://someone-elses-prometheus.example");
    assertThat(own.bearerToken()).as("never sent to an address a gate names").isNull();

    assertThat(targets.target(plain, "team-a", null).bearerToken())
        .as("no token configured")
        .isNull();
  }

  @Test
  void settingsTakeTheTokenFromConfigurationStrippedAndBlankAsNone() {
    Wiring w = new Wiring();
    OperatorSettings s =
        w.settings(
            Optional.of("http://p:9090"),
            Duration.ofSeconds(10),
            8,
            true,
            Duration.ofSeconds(10),
            Optional.of(" secret-token\n"));
    assertThat(s.defaultPrometheusToken()).isEqualTo("secret-token");
    assertThat(s.defaultPrometheus()).isEqualTo("http://p:9090");
    assertThat(
            w.settings(
                    Optional.empty(),
                    Duration.ofSeconds(10),
                    8,
                    true,
                    Duration.ofSeconds(10),
                    Optional.of("  "))
                .defaultPrometheusToken())
        .isNull();
    assertThat(
            w.settings(
                    Optional.empty(),
                    Duration.ofSeconds(10),
                    8,
                    true,
                    Duration.ofSeconds(10),
                    Optional.empty())
                .defaultPrometheusToken())
        .isNull();
  }
}
