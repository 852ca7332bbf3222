package io.modelrollout.operator.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.modelrollout.operator.api.GateSpec;
import io.modelrollout.operator.api.GateStatus;
import io.modelrollout.operator.api.Verdict;
import io.modelrollout.operator.testing.Fixtures;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The per-gate series on /q/metrics: value, thresholds from the gate's bounds, evaluations. */
class RolloutMetricsTest {
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final RolloutMetrics metrics = new RolloutMetrics(registry);

  @Test
  void droppedEventsAreACounter() {
    java.util.concurrent.atomic.AtomicLong dropped = new java.util.concurrent.atomic.AtomicLong();
    metrics.eventsDropped(dropped, java.util.concurrent.atomic.AtomicLong::get);
    assertThat(registry.scrape()).contains("modelrollout_events_dropped_total 0.0");
    dropped.set(5);
    assertThat(registry.scrape())
        .contains("# TYPE modelrollout_events_dropped_total counter")
        .contains("modelrollout_events_dropped_total 5.0");
  }

  @Test
  void aGatesBoundsAreThresholdSeriesBesideItsValue() {
    GateSpec errors = Fixtures.gate("errors", "q", 0.01); // max 0.01
    GateSpec accuracy = Fixtures.gate("accuracy", "q", 0.0);
    accuracy.max = null;
    accuracy.min = 0.9;
    GateSpec band = Fixtures.gate("latency", "q", 0.5);
    band.min = 0.1;

    metrics.gateEvaluated("team-a", "fraud", status("errors", 0.002), errors);
    metrics.gateEvaluated("team-a", "fraud", status("accuracy", 0.95), accuracy);
    metrics.gateEvaluated("team-a", "fraud", status("latency", 0.3), band);

    String page = registry.scrape();
    assertThat(page)
        .contains(
            "modelrollout_gate_threshold{bound=\"max\",gate=\"errors\",name=\"fraud\",namespace=\"team-a\",} 0.01")
        .contains(
            "modelrollout_gate_threshold{bound=\"min\",gate=\"accuracy\",name=\"fraud\",namespace=\"team-a\",} 0.9")
        .contains(
            "modelrollout_gate_threshold{bound=\"min\",gate=\"latency\",name=\"fraud\",namespace=\"team-a\",} 0.1")
        .contains(
            "modelrollout_gate_threshold{bound=\"max\",gate=\"latency\",name=\"fraud\",namespace=\"team-a\",} 0.5")
        .contains(
            "modelrollout_gate_value{gate=\"errors\",name=\"fraud\",namespace=\"team-a\",} 0.002");
    assertThat(series(page, "modelrollout_gate_threshold"))
        .as("no bound a gate does not have")
        .isEqualTo(4);
  }

  @Test
  void aChangedBoundMovesAndARemovedOneDisappears() {
    GateSpec g = Fixtures.gate("errors", "q", 0.01);
    g.min = 0.0;
    metrics.gateEvaluated("ns", "m", status("errors", 0.002), g);
    g.max = 0.05;
    g.min = null;
    metrics.gateEvaluated("ns", "m", status("errors", 0.003), g);
    String page = registry.scrape();
    assertThat(page)
        .contains(
            "modelrollout_gate_threshold{bound=\"max\",gate=\"errors\",name=\"m\",namespace=\"ns\",} 0.05")
        .doesNotContain("bound=\"min\"");
  }

  @Test
  void relativeAndUnknownGatesHaveNoThreshold() {
    GateSpec relative = Fixtures.gate("p99", "q", 0.01);
    relative.max = null;
    relative.compareTo = GateSpec.Baseline.Stable;
    relative.maxIncreasePercent = 10.0;
    metrics.gateEvaluated("ns", "m", status("p99", 0.2), relative);
    metrics.gateEvaluated("ns", "m", status("gone", 0.2), null);
    String page = registry.scrape();
    assertThat(series(page, "modelrollout_gate_threshold")).isZero();
    assertThat(series(page, "modelrollout_gate_value")).isEqualTo(2);
  }

  @Test
  void aGateThePolicyNoLongerDefinesLosesItsSeries() {
    metrics.gateEvaluated("ns", "m", status("errors", 0.002), Fixtures.gate("errors", "q", 0.01));
    metrics.gateEvaluated("ns", "m", status("latency", 0.3), Fixtures.gate("latency", "q", 0.5));
    metrics.gateEvaluated("ns", "other", status("errors", 0.1), Fixtures.gate("errors", "q", 0.2));

    metrics.retainGates("ns", "m", Set.of("errors", "accuracy")::contains);
    String page = registry.scrape();
    assertThat(page).doesNotContain("gate=\"latency\"");
    assertThat(series(page, "modelrollout_gate_threshold")).isEqualTo(2);
    assertThat(series(page, "modelrollout_gate_value")).isEqualTo(2);
    assertThat(series(page, "modelrollout_gate_evaluations_total")).isEqualTo(2);

    // evaluated again after it comes back: registered anew
    metrics.gateEvaluated("ns", "m", status("latency", 0.4), Fixtures.gate("latency", "q", 0.6));
    assertThat(registry.scrape())
        .contains(
            "modelrollout_gate_threshold{bound=\"max\",gate=\"latency\",name=\"m\",namespace=\"ns\",} 0.6")
        .contains("modelrollout_gate_value{gate=\"latency\",name=\"m\",namespace=\"ns\",} 0.4");
  }

  @Test
  void aDeletedModelDeploymentLosesEveryGateSeries() {
    metrics.gateEvaluated("ns", "m", status("errors", 0.002), Fixtures.gate("errors", "q", 0.01));
    metrics.gateEvaluated("ns", "kept", status("errors", 0.1), Fixtures.gate("errors", "q", 0.2));
    metrics.forget("ns", "m");
    String page = registry.scrape();
    assertThat(page).doesNotContain("name=\"m\"");
    assertThat(series(page, "modelrollout_gate_threshold")).isEqualTo(1);

    metrics.gateEvaluated("ns", "m", status("errors", 0.003), Fixtures.gate("errors", "q", 0.02));
    assertThat(registry.scrape())
        .contains(
            "modelrollout_gate_threshold{bound=\"max\",gate=\"errors\",name=\"m\",namespace=\"ns\",} 0.02")
        .contains("modelrollout_gate_value{gate=\"errors\",name=\"m\",namespace=\"ns\",} 0.003");
  }

  private static GateStatus status(String gate, double value) {
    GateStatus g = new GateStatus();
    g.name = gate;
    g.verdict = Verdict.Pass;
    g.value = value;
    return g;
  }

  private static long series(String page, String metric) {
    return page.lines().filter(l -> l.startsWith(metric + "{")).count();
  }
}
