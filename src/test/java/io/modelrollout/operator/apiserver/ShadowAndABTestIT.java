package io.modelrollout.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.modelrollout.operator.analysis.prometheus.PrometheusProvider;
import io.modelrollout.operator.api.Condition;
import io.modelrollout.operator.api.ExperimentStatus.Decision;
import io.modelrollout.operator.api.GateSpec;
import io.modelrollout.operator.api.GateStatus;
import io.modelrollout.operator.api.HistoryEntry.Outcome;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.RolloutPolicy;
import io.modelrollout.operator.api.RolloutPolicySpec;
import io.modelrollout.operator.api.ShadowSpec.FollowUp;
import io.modelrollout.operator.api.TrafficProvider;
import io.modelrollout.operator.api.TrafficSpec;
import io.modelrollout.operator.api.Verdict;
import io.modelrollout.operator.controller.OperatorSettings;
import io.modelrollout.operator.status.Conditions;
import io.modelrollout.operator.testing.Fixtures;
import io.modelrollout.operator.testing.Scenario;
import io.modelrollout.operator.testing.SimulatedTraffic;
import io.modelrollout.operator.testing.StrategyFixtures;
import io.modelrollout.operator.testing.TestCluster;
import io.modelrollout.operator.testing.TestExporter;
import io.modelrollout.operator.testing.TestPrometheus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Shadow rollouts and A/B tests end to end: the operator in-process on the real API server, a real
 * Prometheus scraping per-version prediction histograms and A/B counters that grow while the test
 * runs. A shadow is promoted; a shadow whose predictions drift is rolled back while its error rate
 * and latency look fine; an A/B test with a significant winner promotes it; one with no difference
 * keeps control; one with a sample-ratio mismatch is invalid.
 */
class ShadowAndABTestIT {
  static final double[] BOUNDS = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};
  static final double[] SCORES = {0.02, 0.05, 0.1, 0.15, 0.18, 0.18, 0.15, 0.1, 0.05, 0.02};
  static final double[] DRIFTED = {0.01, 0.01, 0.02, 0.03, 0.05, 0.08, 0.15, 0.25, 0.25, 0.15};
  static TestExporter exporter;
  static TestPrometheus prometheus;
  Scenario scenario;
  SimulatedTraffic traffic;
  String model;

  @BeforeAll
  static void startPrometheus() throws Exception {
    exporter = new TestExporter();
    prometheus = TestPrometheus.start(exporter.target());
    TestCluster.installRouteCrds();
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
            "shadow-ab",
            new OperatorSettings(prometheus.address(), Duration.ofSeconds(2)),
            new PrometheusProvider());
    traffic = new SimulatedTraffic(exporter);
  }

  @AfterEach
  void tearDown() {
    traffic.close();
    scenario.close();
  }

  @Test
  void aShadowThatPredictsLikeStableIsPromoted() {
    model = "shadow-ok";
    predictions("1.0.0", SCORES);
    predictions("2.0.0", SCORES);
    healthy("1.0.0", "2.0.0");
    Set<String> seen = watchRoute();
    start(shadowPolicy(FollowUp.Direct));
    ModelDeployment done = awaitMd(m -> "2.0.0".equals(m.getStatus().stable.version));
    assertThat(done.getStatus().history.get(0).outcome).isEqualTo(Outcome.Promoted);
    GateStatus drift = gate(done, "prediction-drift");
    assertThat(drift.verdict).isEqualTo(Verdict.Pass);
    assertThat(drift.comparison.psi).isLessThan(0.01);
    assertThat(drift.comparison.canarySamples).isGreaterThanOrEqualTo(50);
    assertThat(drift.comparison.buckets).hasSize(10);
    assertThat(drift.query)
        .isEqualTo(
            "sum by (le) (increase(model_prediction_score_bucket{model=\"shadow-ok\",version=\"2.0.0\"}[20s]))");
    assertThat(seen)
        .as("while shadowing, matching requests were mirrored and every user got stable")
        .contains("mirror POST /v1/predict 100% -> stable 100; stable 100");
    assertThat(seen).noneMatch(s -> s.contains("mirror") && s.contains("canary "));
  }

  @Test
  void aShadowWhosePredictionsDriftIsRolledBackWhileErrorsAndLatencyLookFine() {
    model = "shadow-drift";
    predictions("1.0.0", SCORES);
    predictions("2.0.0", DRIFTED);
    healthy("1.0.0", "2.0.0");
    start(shadowPolicy(FollowUp.Direct));
    ModelDeployment md = awaitMd(m -> m.getStatus().phase == Phase.RolledBack);
    GateStatus drift = gate(md, "prediction-drift");
    assertThat(drift.verdict).isEqualTo(Verdict.Fail);
    assertThat(drift.comparison.psi).isGreaterThan(0.25);
    assertThat(drift.comparison.buckets.get(8).canary)
        .as("the shadow predicts high scores more often")
        .isGreaterThan(drift.comparison.buckets.get(8).stable);
    assertThat(md.getStatus().gates)
        .filteredOn(g -> !g.name.equals("prediction-drift"))
        .allSatisfy(g -> assertThat(g.verdict).isNotEqualTo(Verdict.Fail));
    assertThat(Conditions.find(md.getStatus().conditions, Condition.DEGRADED).message)
        .contains("gate prediction-drift failed: value")
        .contains("threshold PSI <= 0.1");
    Event e = awaitEvent("RolledBack");
    assertThat(e.getType()).isEqualTo("Warning");
    HTTPRoute route = await().atMost(Duration.ofSeconds(20)).until(this::route, r -> !hasMirror(r));
    assertThat(describe(route)).isEqualTo("stable 100");
    awaitOneDeployment();
  }

  @Test
  void anABTestWithASignificantWinnerPromotesIt() {
    model = "ab-win";
    variants(40, 0.10, 40, 0.16, 0); // minSamples (300) well before maxDuration
    ModelDeployment md = abTest("8s", "30s");
    assertThat(md.getStatus().stable.version).isEqualTo("2.0.0");
    var ex = md.getStatus().experiment;
    assertThat(ex.decision).isEqualTo(Decision.TreatmentWins);
    assertThat(ex.metrics.get(0).difference.significant).isTrue();
    assertThat(ex.metrics.get(0).difference.estimate)
        .isCloseTo(0.06, org.assertj.core.api.Assertions.within(0.02));
    assertThat(ex.sampleSizeHint).isPositive();
    assertThat(ex.sampleRatio.mismatch).isFalse();
    assertThat(awaitEvent("ExperimentDecided").getMessage()).contains("TreatmentWins");
  }

  @Test
  void anABTestWithNoDifferenceKeepsControl() {
    model = "ab-same";
    variants(200, 0.10, 200, 0.10, 0);
    ModelDeployment md = abTest("4s", "12s");
    assertThat(md.getStatus().stable.version).isEqualTo("1.0.0");
    assertThat(md.getStatus().phase).isEqualTo(Phase.RolledBack);
    assertThat(md.getStatus().experiment.decision).isEqualTo(Decision.NoDifference);
    assertThat(md.getStatus().experiment.metrics.get(0).difference.pValue).isGreaterThan(0.05);
    assertThat(md.getStatus().history.get(0).reason).startsWith("A/B test NoDifference");
  }

  @Test
  void anABTestWithASampleRatioMismatchIsInvalid() {
    model = "ab-srm";
    variants(200, 0.10, 120, 0.20, 0);
    ModelDeployment md = abTest("4s", "30s");
    assertThat(md.getStatus().experiment.decision).isEqualTo(Decision.Invalid);
    assertThat(md.getStatus().experiment.sampleRatio.mismatch).isTrue();
    assertThat(md.getStatus().stable.version).as("never a winner").isEqualTo("1.0.0");
    Event e = awaitEvent("SampleRatioMismatch");
    assertThat(e.getType()).isEqualTo("Warning");
    assertThat(e.getMessage()).contains("sample ratio mismatch");
  }

  // --- helpers

  private void predictions(String version, double[] shares) {
    traffic.histogram(StrategyFixtures.PREDICTIONS, labels(version), BOUNDS, shares, 50);
  }

  /** Error ratio and p99 latency equal for both versions: the relative gates pass. */
  private void healthy(String... versions) {
    for (String v : versions) {
      exporter.set("model_error_ratio{" + labels(v) + "}", 0.002);
      exporter.set("model_latency_p99_seconds{" + labels(v) + "}", 0.12);
    }
  }

  private void variants(double ct, double cc, double tt, double tc, int unused) {
    traffic.variant("checkout_started_total", "checkout_completed_total", labels("1.0.0"), ct, cc);
    traffic.variant("checkout_started_total", "checkout_completed_total", labels("2.0.0"), tt, tc);
  }

  private String labels(String version) {
    return "model=\"" + model + "\",version=\"" + version + "\"";
  }

  private RolloutPolicySpec shadowPolicy(FollowUp then) {
    RolloutPolicySpec p = StrategyFixtures.shadow(100, "8s", then, 0.1);
    p.shadow.match.get(0).pathPrefix = "/v1/predict";
    p.shadow.minSamples = 50;
    p.gates.get(0).comparison.window = "20s";
    p.gates.get(0).interval = "2s";
    GateSpec errors =
        relative("errors", "model_error_ratio{model=\"{{model}}\",version=\"{{version}}\"}");
    errors.maxIncrease = 0.005;
    GateSpec latency =
        relative(
            "latency", "model_latency_p99_seconds{model=\"{{model}}\",version=\"{{version}}\"}");
    latency.maxIncreasePercent = 10.0;
    p.gates.addAll(List.of(errors, latency));
    p.shadow.gates = new ArrayList<>(List.of("errors", "latency", "prediction-drift"));
    return p;
  }

  private static GateSpec relative(String name, String query) {
    GateSpec g = Fixtures.gate(name, query, 0);
    g.max = null;
    g.compareTo = GateSpec.Baseline.Stable;
    g.interval = "2s";
    return g;
  }

  /** Runs an A/B test with the given durations and returns the ModelDeployment once it ended. */
  private ModelDeployment abTest(String minDuration, String maxDuration) {
    RolloutPolicySpec p = StrategyFixtures.abTest(minDuration, maxDuration, 300);
    p.abTest.interval = "2s";
    start(p);
    awaitMd(
        m ->
            m.getStatus().canary == null
                && m.getStatus().experiment != null
                && m.getStatus().experiment.decision != Decision.Running);
    awaitOneDeployment();
    return scenario.md("m");
  }

  /** Waits until the revision that lost has no pods: one Deployment of the model runs. */
  private void awaitOneDeployment() {
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                scenario
                    .client
                    .apps()
                    .deployments()
                    .inNamespace(scenario.ns)
                    .list()
                    .getItems()
                    .stream()
                    .filter(
                        d ->
                            d.getSpec().getReplicas() > 0
                                && d.getMetadata().getOwnerReferences().stream()
                                    .anyMatch(o -> o.getName().equals("m")))
                    .count(),
            n -> n == 1L);
  }

  private void start(RolloutPolicySpec spec) {
    RolloutPolicy policy = new RolloutPolicy();
    policy.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName("policy")
            .withNamespace(scenario.ns)
            .build());
    policy.setSpec(spec);
    scenario.client.resource(policy).create();
    ModelDeployment md =
        Fixtures.withPolicy(Fixtures.model(scenario.ns, "m", "1.0.0", 2), "policy");
    md.getSpec().model.name = model;
    md.getSpec().traffic = new TrafficSpec();
    md.getSpec().traffic.provider = TrafficProvider.GatewayAPI;
    md.getSpec().traffic.gatewayAPI = new TrafficSpec.GatewayApi();
    TrafficSpec.ParentRef parent = new TrafficSpec.ParentRef();
    parent.name = "public-gateway";
    md.getSpec().traffic.gatewayAPI.parentRefs = List.of(parent);
    scenario.client.resource(md).create();
    awaitMd(m -> m.getStatus().phase == Phase.Healthy);
    scenario.patch("m", "{\"spec\":{\"model\":{\"version\":\"2.0.0\"}}}");
  }

  private ModelDeployment awaitMd(Predicate<ModelDeployment> p) {
    return await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> scenario.md("m"), m -> m != null && m.getStatus() != null && p.test(m));
  }

  private Event awaitEvent(String reason) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> scenario.events(reason), l -> !l.isEmpty())
        .get(0);
  }

  private static GateStatus gate(ModelDeployment md, String name) {
    return md.getStatus().gates.stream().filter(g -> name.equals(g.name)).findFirst().orElseThrow();
  }

  private HTTPRoute route() {
    return scenario.client.resources(HTTPRoute.class).inNamespace(scenario.ns).withName("m").get();
  }

  /** Records every distinct shape of the route while the test runs. */
  private Set<String> watchRoute() {
    Set<String> seen = ConcurrentHashMap.newKeySet();
    scenario
        .client
        .resources(HTTPRoute.class)
        .inNamespace(scenario.ns)
        .inform(
            new io.fabric8.kubernetes.client.informers.ResourceEventHandler<HTTPRoute>() {
              public void onAdd(HTTPRoute r) {
                seen.add(describe(r));
              }

              public void onUpdate(HTTPRoute o, HTTPRoute r) {
                seen.add(describe(r));
              }

              public void onDelete(HTTPRoute r, boolean unknown) {}
            });
    return seen;
  }

  private static boolean hasMirror(HTTPRoute r) {
    return r != null && describe(r).contains("mirror");
  }

  /** The operator's rules in words: "mirror POST /p 100% -> stable 100; stable 100". */
  static String describe(HTTPRoute r) {
    List<String> out = new ArrayList<>();
    for (HTTPRouteRule rule : r.getSpec().getRules()) {
      if (rule.getName() == null || !rule.getName().startsWith("modelrollout-")) continue;
      StringBuilder sb = new StringBuilder();
      if (rule.getFilters() != null && !rule.getFilters().isEmpty()) {
        var m =
            rule.getMatches() == null || rule.getMatches().isEmpty()
                ? null
                : rule.getMatches().get(0);
        sb.append("mirror ");
        if (m != null && m.getMethod() != null) sb.append(m.getMethod()).append(' ');
        if (m != null && m.getPath() != null) sb.append(m.getPath().getValue()).append(' ');
        sb.append(rule.getFilters().get(0).getRequestMirror().getPercent()).append("% -> ");
      }
      sb.append(
          String.join(
              ", ",
              rule.getBackendRefs().stream()
                  .map(
                      b ->
                          b.getName().substring(b.getName().lastIndexOf('-') + 1)
                              + " "
                              + b.getWeight())
                  .toList()));
      out.add(sb.toString());
    }
    return String.join("; ", out);
  }
}
