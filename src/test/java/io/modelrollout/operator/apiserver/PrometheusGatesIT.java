package io.modelrollout.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelrollout.operator.analysis.Measurement;
import io.modelrollout.operator.analysis.QueryTarget;
import io.modelrollout.operator.analysis.prometheus.PrometheusProvider;
import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.Condition;
import io.modelrollout.operator.api.GateSpec;
import io.modelrollout.operator.api.HistoryEntry.Outcome;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.RolloutPolicy;
import io.modelrollout.operator.api.Verdict;
import io.modelrollout.operator.controller.OperatorSettings;
import io.modelrollout.operator.status.Conditions;
import io.modelrollout.operator.testing.FakeDeploymentController;
import io.modelrollout.operator.testing.Fixtures;
import io.modelrollout.operator.testing.OperatorHarness;
import io.modelrollout.operator.testing.Scenario;
import io.modelrollout.operator.testing.TestExporter;
import io.modelrollout.operator.testing.TestPrometheus;
import io.modelrollout.operator.testing.TokenProxy;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Canary rollouts gated by a real Prometheus (scraping a test exporter every second) on the real
 * API server: promotion on healthy metrics, rollback on a breached or a relative gate, a Prometheus
 * outage mid-rollout, and a bearer token from a Secret.
 */
class PrometheusGatesIT {
  static final String ERRORS =
      "model_errors{model=\"{{model}}\",version=\"{{version}}\",variant=\"{{variant}}\"}";
  static final String LATENCY = "model_p99_seconds{revision=\"{{revision}}\"}";
  static TestExporter exporter;
  static TestPrometheus prometheus;
  Scenario scenario;
  KubernetesClient client;
  String ns;
  OperatorHarness operator;
  FakeDeploymentController pods;

  @BeforeAll
  static void startPrometheus() throws Exception {
    exporter = new TestExporter();
    prometheus = TestPrometheus.start(exporter.target());
  }

  @AfterAll
  static void stopPrometheus() throws Exception {
    prometheus.close();
    exporter.close();
  }

  @BeforeEach
  void setUp() {
    scenario =
        Scenario.start(
            "prom",
            new OperatorSettings(prometheus.address(), Duration.ofSeconds(2)),
            new PrometheusProvider());
    client = scenario.client;
    ns = scenario.ns;
    pods = scenario.pods;
    operator = scenario.operator;
  }

  @AfterEach
  void tearDown() {
    scenario.close();
  }

  @Test
  void promotesOnHealthyMetrics() {
    errors("1.0.0", "stable", 0.001);
    errors("2.0.0", "canary", 0.002);
    startRollout(p -> {});
    ModelDeployment done = awaitMd(m -> "2.0.0".equals(m.getStatus().stable.version));
    assertThat(done.getStatus().gates)
        .singleElement()
        .satisfies(
            g -> {
              assertThat(g.verdict).isEqualTo(Verdict.Pass);
              assertThat(g.value).isEqualTo(0.002);
              assertThat(g.query)
                  .isEqualTo(
                      "model_errors{model=\"fraud-detector\",version=\"2.0.0\",variant=\"canary\"}");
            });
    assertThat(
            operator
                .registry
                .find("modelrollout_gate_evaluations_total")
                .tag("gate", "errors")
                .tag("verdict", "Pass")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void aGateMeasuredEverySecondWritesItsCountersOnlyWithItsVerdict() throws Exception {
    errors("2.0.0", "canary", 0.001);
    List<String> written = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (var watch =
        client
            .resources(ModelDeployment.class)
            .inNamespace(ns)
            .watch(
                new io.fabric8.kubernetes.client.Watcher<ModelDeployment>() {
                  @Override
                  public void eventReceived(Action action, ModelDeployment m) {
                    if (m.getStatus() != null && !m.getStatus().gates.isEmpty()) {
                      var g = m.getStatus().gates.get(0);
                      written.add(g.successes + "/" + g.verdict);
                    }
                  }

                  @Override
                  public void onClose(io.fabric8.kubernetes.client.WatcherException e) {}
                })) {
      startRollout(p -> p.getSpec().gates.get(0).count = 6);
      ModelDeployment done = awaitMd(m -> "2.0.0".equals(m.getStatus().stable.version));
      assertThat(done.getStatus().history.get(0).outcome).isEqualTo(Outcome.Promoted);
    }
    assertThat(
            operator
                .registry
                .find("modelrollout_gate_evaluations_total")
                .tag("gate", "errors")
                .counters()
                .stream()
                .mapToDouble(c -> c.count())
                .sum())
        .as("measured six times, once a second")
        .isEqualTo(6);
    assertThat(written)
        .as("six measurements within the 10 s flush interval: written with the verdict only")
        .contains("6/Pass")
        .noneMatch(w -> w.matches("[2-5]/Pending"));
  }

  @Test
  void rollsBackOnABreachedGateWithTheMeasuredValue() {
    errors("2.0.0", "canary", 0.2);
    startRollout(p -> {});
    ModelDeployment md = awaitMd(m -> m.getStatus().phase == Phase.RolledBack);
    assertThat(md.getStatus().gates.get(0).value).isEqualTo(0.2);
    assertThat(Conditions.find(md.getStatus().conditions, Condition.DEGRADED).message)
        .contains("gate errors failed: value 0.2, threshold <= 0.01");
    Event e =
        await().atMost(Duration.ofSeconds(10)).until(() -> event("RolledBack"), x -> x != null);
    assertThat(e.getType()).isEqualTo("Warning");
    assertThat(e.getMessage()).contains("value 0.2, threshold <= 0.01");
  }

  @Test
  void aRelativeGateComparesTheCanaryWithStable() {
    errors("2.0.0", "canary", 0.0);
    startRollout(
        p -> {
          GateSpec latency = Fixtures.gate("latency", LATENCY, 10);
          latency.max = null;
          latency.compareTo = GateSpec.Baseline.Stable;
          latency.maxIncreasePercent = 10.0;
          latency.count = 1;
          p.getSpec().gates.add(latency);
          p.getSpec().canary.steps.get(1).analysis.gates = List.of("errors", "latency");
        });
    String stableRev = md().getStatus().stable.revision;
    String canaryRev = md().getStatus().canary.revision;
    publish("model_p99_seconds{revision=\"" + stableRev + "\"}", 0.2);
    publish("model_p99_seconds{revision=\"" + canaryRev + "\"}", 0.3);
    ModelDeployment md = awaitMd(m -> m.getStatus().phase == Phase.RolledBack);
    assertThat(md.getStatus().history.get(0).reason)
        .isEqualTo("gate latency failed: value 0.3, threshold <= stable 0.2 + 10% (1 failure)");
  }

  @Test
  void aVersionWithDotsAndPlusMatchesItsOwnSeriesInRegexAndPodLabelQueries() {
    // the escaped regex matches 2.3.0+build only; unescaped it would match only the decoy
    publish("model_errors_total{version=\"2.3.0+build\"}", 0.001);
    publish("model_errors_total{version=\"2x3x0build\"}", 0.9);
    // pods carry the sanitized label; {{versionLabel}} is what a pod scrape sees
    publish("pod_errors{version_label=\"2.3.0_build\"}", 0.002);
    publish("pod_errors{version_label=\"2.3.0+build\"}", 0.8);
    String version = "2.3.0+build";
    RolloutPolicy policy =
        Fixtures.canaryPolicy(ns, "dotted", 1, CanaryStep.analysis("regex", "pods"));
    GateSpec regex = Fixtures.gate("regex", "model_errors_total{version=~\"{{version}}\"}", 0.01);
    GateSpec pods = Fixtures.gate("pods", "pod_errors{version_label=\"{{versionLabel}}\"}", 0.01);
    regex.count = 1;
    pods.count = 1;
    policy.getSpec().gates.addAll(List.of(regex, pods));
    client.resource(policy).create();
    client
        .resource(Fixtures.withPolicy(Fixtures.model(ns, "fraud", "1.0.0", 2), "dotted"))
        .create();
    awaitMd(m -> m.getStatus().phase == Phase.Healthy);
    Fixtures.patch(client, ns, "fraud", "{\"spec\":{\"model\":{\"version\":\"" + version + "\"}}}");
    ModelDeployment done = awaitMd(m -> version.equals(m.getStatus().stable.version));
    assertThat(done.getStatus().gates)
        .extracting(g -> g.name + "=" + g.value + " " + g.query)
        .containsExactlyInAnyOrder(
            "regex=0.001 model_errors_total{version=~\"2\\\\.3\\\\.0\\\\+build\"}",
            "pods=0.002 pod_errors{version_label=\"2.3.0_build\"}");
  }

  @Test
  void aPrometheusOutagePausesTheRolloutUntilItAnswersAgain() throws Exception {
    errors("2.0.0", "canary", 0.001);
    prometheus.stop();
    try {
      startRollout(p -> {});
      ModelDeployment paused = awaitMd(m -> m.getStatus().phase == Phase.Paused);
      Condition c = Conditions.find(paused.getStatus().conditions, Condition.PAUSED);
      assertThat(c.reason).isEqualTo("GateInconclusive");
      assertThat(c.message).contains("is unreachable").contains("never promotes on missing data");
      assertThat(paused.getStatus().canary.version)
          .as("still the canary, not promoted")
          .isEqualTo("2.0.0");
    } finally {
      prometheus.start();
    }
    ModelDeployment done = awaitMd(m -> "2.0.0".equals(m.getStatus().stable.version));
    assertThat(done.getStatus().phase).isEqualTo(Phase.Healthy);
  }

  @Test
  void aBearerTokenFromASecret() throws Exception {
    errors("2.0.0", "canary", 0.001);
    try (TokenProxy proxy = new TokenProxy(prometheus.address(), "t0ken")) {
      startRollout(
          p -> {
            p.getSpec().gates.get(0).prometheus.address = proxy.address();
            p.getSpec().gates.get(0).prometheus.secretRef = new GateSpec.SecretRef();
            p.getSpec().gates.get(0).prometheus.secretRef.name = "prom-auth";
          });
      ModelDeployment waiting = awaitMd(m -> m.getStatus().phase == Phase.Paused);
      assertThat(Conditions.find(waiting.getStatus().conditions, Condition.PAUSED).message)
          .contains("Secret prom-auth not found");
      client
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName("prom-auth")
                  .withNamespace(ns)
                  .endMetadata()
                  .addToStringData("token", "t0ken")
                  .build())
          .create();
      awaitMd(m -> "2.0.0".equals(m.getStatus().stable.version));
    }
  }

  private void errors(String version, String variant, double value) {
    publish(
        "model_errors{model=\"fraud-detector\",version=\""
            + version
            + "\",variant=\""
            + variant
            + "\"}",
        value);
  }

  /** Sets a series and waits until Prometheus answers the new value, so no stale sample remains. */
  private static void publish(String series, double value) {
    exporter.set(series, value);
    PrometheusProvider p = new PrometheusProvider();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                p.query(QueryTarget.plain(prometheus.address(), Duration.ofSeconds(2)), series)
                        instanceof Measurement.Value v
                    && v.value() == value);
  }

  private void startRollout(Consumer<RolloutPolicy> customize) {
    RolloutPolicy policy =
        Fixtures.canaryPolicy(
            ns,
            "gated",
            1,
            CanaryStep.weight(50),
            CanaryStep.analysis("errors"),
            CanaryStep.pause("1s"));
    policy.getSpec().gates.add(Fixtures.gate("errors", ERRORS, 0.01));
    policy.getSpec().gates.get(0).count = 1;
    customize.accept(policy);
    client.resource(policy).create();
    client.resource(Fixtures.withPolicy(Fixtures.model(ns, "fraud", "1.0.0", 2), "gated")).create();
    awaitMd(m -> m.getStatus().phase == Phase.Healthy);
    Fixtures.patch(client, ns, "fraud", "{\"spec\":{\"model\":{\"version\":\"2.0.0\"}}}");
    awaitMd(
        m ->
            m.getStatus().canary != null
                || "2.0.0".equals(m.getStatus().stable.version)
                || m.getStatus().phase == Phase.RolledBack);
  }

  private ModelDeployment md() {
    return scenario.md("fraud");
  }

  private ModelDeployment awaitMd(Predicate<ModelDeployment> p) {
    return scenario.awaitMd("fraud", p);
  }

  private Event event(String reason) {
    scenario.operator.flushEvents();
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .findFirst()
        .orElse(null);
  }
}
