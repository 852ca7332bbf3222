package io.modelrollout.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.modelrollout.operator.api.ExperimentStatus.Decision;
import io.modelrollout.operator.api.GateSpec;
import io.modelrollout.operator.api.GateStatus;
import io.modelrollout.operator.api.HistoryEntry.Outcome;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.RolloutPolicy;
import io.modelrollout.operator.api.RolloutPolicySpec;
import io.modelrollout.operator.api.ShadowSpec.FollowUp;
import io.modelrollout.operator.api.Verdict;
import io.modelrollout.operator.install.OperatorProcess;
import io.modelrollout.operator.testing.Fixtures;
import io.modelrollout.operator.testing.SimulatedTraffic;
import io.modelrollout.operator.testing.StrategyFixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Shadow rollouts and A/B tests as the cluster shows them: the packaged operator with the chart's
 * RBAC, real pods on KWOK nodes, Prometheus scraping per-version prediction histograms and A/B
 * counters that grow. A shadow passes and walks its follow-up canary; a shadow whose predictions
 * drift is rolled back (mirror removed, shadow pods gone) while errors look fine; an A/B test's
 * winner is promoted and counted, one without a difference keeps control, and one with a
 * sample-ratio mismatch is invalid.
 */
class ShadowABTestE2EIT extends E2EBase {
  static final double[] BOUNDS = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};
  static final double[] SCORES = {0.02, 0.05, 0.1, 0.15, 0.18, 0.18, 0.15, 0.1, 0.05, 0.02};
  static final double[] DRIFTED = {0.01, 0.01, 0.02, 0.03, 0.05, 0.08, 0.15, 0.25, 0.25, 0.15};
  static OperatorProcess operator;
  SimulatedTraffic traffic;

  @BeforeAll
  static void startOperator() throws Exception {
    operator = operator("shadow-ab", null, java.util.Map.of("MRO_LEADER_ELECTION", "false"));
  }

  @AfterAll
  static void stopOperator() throws Exception {
    operator.close();
  }

  @BeforeEach
  void startTraffic() {
    traffic = new SimulatedTraffic(exporter);
  }

  @AfterEach
  void stopTraffic() {
    traffic.close();
  }

  @Test
  void aShadowThatPredictsLikeStableWalksItsFollowUpCanary() throws Exception {
    try (E2EReport.Scenario report =
        E2EReport.start(
            "shadow compared, then its follow-up canary promoted", () -> operator.peakRssMiB())) {
      String ns = cluster.newNamespace("e2e-shadow");
      String model = "shadow-ok";
      predictions(model, "1.0.0", SCORES);
      predictions(model, "2.0.0", SCORES);
      errors(model, "1.0.0", 0.002);
      errors(model, "2.0.0", 0.002);
      create(ns, "shadow", shadowPolicy(ns, FollowUp.Canary), model, 3);
      Set<String> shapes = ConcurrentHashMap.newKeySet();
      Set<Integer> shadowPods = ConcurrentHashMap.newKeySet();
      try (RouteLog log = new RouteLog(admin, ns, model);
          var watch =
              admin
                  .resources(HTTPRoute.class)
                  .inNamespace(ns)
                  .withName(model)
                  .inform(
                      handler(r -> shapes.add(mirrorOf(r) + " canary " + RouteLog.canary(r))))) {
        version(ns, model, "2.0.0");
        awaitMd(
            ns,
            model,
            Duration.ofSeconds(60),
            m -> {
              if (m.getStatus().canary != null && mirrorOf(route(ns, model)) != null) {
                shadowPods.add(podIps(ns, m.getStatus().canary.revision).size());
              }
              return m.getStatus().canary == null && "2.0.0".equals(m.getStatus().stable.version);
            });
        ModelDeployment done = md(ns, model);
        assertThat(done.getStatus().history.get(0).outcome).isEqualTo(Outcome.Promoted);
        GateStatus drift = gate(done, "prediction-drift");
        assertThat(drift.verdict).isEqualTo(Verdict.Pass);
        assertThat(drift.comparison.buckets).hasSize(10);
        assertThat(drift.comparison.canarySamples).isGreaterThanOrEqualTo(50);
        assertThat(shapes)
            .as("mirrored while no user was sent to the shadow")
            .contains("POST /v1/predict 100% canary 0")
            .noneMatch(s -> !s.startsWith("null") && !s.endsWith("canary 0"));
        // promotion may take the traffic from the last weight of the capacity walk in one switch
        assertThat(log.weights())
            .as("then the follow-up canary's step, then promotion")
            .containsSubsequence(0, 50)
            .endsWith(0);
        assertThat(shadowPods).as("the shadow ran on its own pod beside stable").contains(1);
        await()
            .atMost(Duration.ofSeconds(15))
            .untilAsserted(() -> assertThat(events(ns, "RolloutPromoted")).isNotEmpty());
      }
      report.passed();
    }
  }

  @Test
  void aShadowWhosePredictionsDriftIsRolledBack() throws Exception {
    try (E2EReport.Scenario report =
        E2EReport.start("shadow rolled back for prediction drift", () -> operator.peakRssMiB())) {
      String ns = cluster.newNamespace("e2e-drift");
      String model = "shadow-drift";
      predictions(model, "1.0.0", SCORES);
      predictions(model, "2.0.0", DRIFTED);
      errors(model, "1.0.0", 0.002);
      errors(model, "2.0.0", 0.002);
      create(ns, "shadow", shadowPolicy(ns, FollowUp.Direct), model, 2);
      String r1 = md(ns, model).getStatus().stable.revision;
      version(ns, model, "2.0.0");
      ModelDeployment md =
          awaitMd(ns, model, Duration.ofSeconds(60), m -> m.getStatus().phase == Phase.RolledBack);
      GateStatus drift = gate(md, "prediction-drift");
      assertThat(drift.verdict).isEqualTo(Verdict.Fail);
      assertThat(drift.comparison.psi).isGreaterThan(0.25);
      assertThat(gate(md, "errors").verdict).isNotEqualTo(Verdict.Fail);
      Event e =
          await()
              .atMost(Duration.ofSeconds(20))
              .until(() -> events(ns, "RolledBack"), l -> !l.isEmpty())
              .get(0);
      assertThat(e.getType()).isEqualTo("Warning");
      assertThat(e.getMessage()).contains("prediction-drift");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  mirrorOf(route(ns, model)) == null
                      && RouteLog.canary(route(ns, model)) == 0
                      && admin.pods().inNamespace(ns).list().getItems().stream()
                          .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                          .allMatch(
                              p ->
                                  r1.equals(
                                      p.getMetadata().getLabels().get("modelrollout.io/revision")))
                      && endpoints(ns, model + "-stable").equals(podIps(ns, r1)));
      report.passed();
    }
  }

  @Test
  void anABTestWinnerIsPromoted() throws Exception {
    try (E2EReport.Scenario report =
        E2EReport.start("A/B test winner promoted", () -> operator.peakRssMiB())) {
      String ns = cluster.newNamespace("e2e-ab");
      ModelDeployment md = abTest(ns, "ab-win", 40, 0.10, 40, 0.16, "8s", "30s");
      assertThat(md.getStatus().stable.version).isEqualTo("2.0.0");
      var ex = md.getStatus().experiment;
      assertThat(ex.decision).isEqualTo(Decision.TreatmentWins);
      assertThat(ex.metrics.get(0).difference.significant).isTrue();
      assertThat(ex.sampleRatio.mismatch).isFalse();
      assertThat(md.getStatus().history.get(0).outcome).isEqualTo(Outcome.Promoted);
      // events are recorded after the status write that decides: wait for them
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(
              () ->
                  assertThat(events(ns, "ExperimentDecided"))
                      .extracting(Event::getMessage)
                      .anyMatch(m -> m.contains("TreatmentWins")));
      // the metrics are recorded right after the events
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(
              () ->
                  assertThat(operator.get("/q/metrics").body())
                      .contains(
                          "modelrollout_experiment_decisions_total{decision=\"TreatmentWins\""));
      report.passed();
    }
  }

  @Test
  void anABTestWithNoDifferenceKeepsControl() throws Exception {
    try (E2EReport.Scenario report =
        E2EReport.start("A/B test with no difference keeps control", () -> operator.peakRssMiB())) {
      String ns = cluster.newNamespace("e2e-ab-same");
      ModelDeployment md = abTest(ns, "ab-same", 200, 0.10, 200, 0.10, "4s", "12s");
      assertThat(md.getStatus().experiment.decision).isEqualTo(Decision.NoDifference);
      assertThat(md.getStatus().stable.version).isEqualTo("1.0.0");
      assertThat(md.getStatus().phase).isEqualTo(Phase.RolledBack);
      assertThat(md.getStatus().experiment.metrics.get(0).difference.pValue).isGreaterThan(0.05);
      report.passed();
    }
  }

  @Test
  void anABTestWithASampleRatioMismatchIsInvalid() throws Exception {
    try (E2EReport.Scenario report =
        E2EReport.start(
            "A/B test invalidated by a sample-ratio mismatch", () -> operator.peakRssMiB())) {
      String ns = cluster.newNamespace("e2e-ab-srm");
      ModelDeployment md = abTest(ns, "ab-srm", 200, 0.10, 120, 0.20, "4s", "30s");
      assertThat(md.getStatus().experiment.decision).isEqualTo(Decision.Invalid);
      assertThat(md.getStatus().experiment.sampleRatio.mismatch).isTrue();
      assertThat(md.getStatus().stable.version).as("never a winner").isEqualTo("1.0.0");
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(
              () ->
                  assertThat(events(ns, "SampleRatioMismatch"))
                      .singleElement()
                      .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning")));
      report.passed();
    }
  }

  // --- helpers

  /** An A/B test of 2.0.0 against 1.0.0 with these trials per second and rates, once it ended. */
  private ModelDeployment abTest(
      String ns,
      String model,
      double controlTrials,
      double controlRate,
      double treatmentTrials,
      double treatmentRate,
      String minDuration,
      String maxDuration) {
    traffic.variant(
        "checkout_started_total",
        "checkout_completed_total",
        labels(model, "1.0.0"),
        controlTrials,
        controlRate);
    traffic.variant(
        "checkout_started_total",
        "checkout_completed_total",
        labels(model, "2.0.0"),
        treatmentTrials,
        treatmentRate);
    RolloutPolicySpec spec = StrategyFixtures.abTest(minDuration, maxDuration, 300);
    spec.abTest.interval = "2s";
    create(ns, "ab", policy(ns, "ab", spec), model, 2);
    version(ns, model, "2.0.0");
    awaitMd(
        ns,
        model,
        Duration.ofSeconds(90),
        m ->
            m.getStatus().canary == null
                && m.getStatus().experiment != null
                && m.getStatus().experiment.decision != Decision.Running);
    // the revision that lost has no pods: one Deployment of the model runs
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                admin.apps().deployments().inNamespace(ns).list().getItems().stream()
                    .filter(
                        d ->
                            d.getSpec().getReplicas() > 0
                                && d.getMetadata().getOwnerReferences().stream()
                                    .anyMatch(o -> o.getName().equals(model)))
                    .count(),
            n -> n == 1L);
    return admin.resources(ModelDeployment.class).inNamespace(ns).withName(model).get();
  }

  private void predictions(String model, String version, double[] shares) {
    traffic.histogram(StrategyFixtures.PREDICTIONS, labels(model, version), BOUNDS, shares, 50);
  }

  private static String labels(String model, String version) {
    return "model=\"" + model + "\",version=\"" + version + "\"";
  }

  /** Mirrors every POST /v1/predict for 8 s, gated on errors (relative) and the PSI. */
  private static RolloutPolicy shadowPolicy(String ns, FollowUp then) {
    RolloutPolicySpec p = StrategyFixtures.shadow(100, "8s", then, 0.1);
    p.shadow.match.get(0).pathPrefix = "/v1/predict";
    p.shadow.minSamples = 50;
    p.gates.get(0).comparison.window = "20s";
    p.gates.get(0).interval = "2s";
    GateSpec errors = Fixtures.gate("errors", ERRORS, 0);
    errors.max = null;
    errors.compareTo = GateSpec.Baseline.Stable;
    errors.maxIncrease = 0.005;
    errors.interval = "2s";
    p.gates.add(errors);
    p.shadow.gates = new ArrayList<>(List.of("errors", "prediction-drift"));
    return policy(ns, "shadow", p);
  }

  private static RolloutPolicy policy(String ns, String name, RolloutPolicySpec spec) {
    RolloutPolicy policy = new RolloutPolicy();
    policy.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName(name)
            .withNamespace(ns)
            .build());
    policy.setSpec(spec);
    return policy;
  }

  /** The policy and a routed ModelDeployment at 1.0.0, once it is Healthy. */
  private static void create(String ns, String name, RolloutPolicy p, String model, int replicas) {
    admin.resource(p).create();
    admin.resource(routed(ns, model, name, replicas)).create();
    awaitMd(ns, model, Duration.ofSeconds(60), m -> m.getStatus().phase == Phase.Healthy);
  }

  private static GateStatus gate(ModelDeployment md, String name) {
    return md.getStatus().gates.stream().filter(g -> name.equals(g.name)).findFirst().orElseThrow();
  }

  /** "POST /v1/predict 100%" for the operator's mirror rule, or null when there is none. */
  static String mirrorOf(HTTPRoute r) {
    if (r == null) {
      return null;
    }
    for (var rule : r.getSpec().getRules()) {
      if (rule.getFilters() == null) {
        continue;
      }
      for (var f : rule.getFilters()) {
        if (f.getRequestMirror() != null) {
          var m =
              rule.getMatches() == null || rule.getMatches().isEmpty()
                  ? null
                  : rule.getMatches().get(0);
          return (m == null ? "" : m.getMethod() + " " + m.getPath().getValue() + " ")
              + f.getRequestMirror().getPercent()
              + "%";
        }
      }
    }
    return null;
  }

  private static io.fabric8.kubernetes.client.informers.ResourceEventHandler<HTTPRoute> handler(
      java.util.function.Consumer<HTTPRoute> seen) {
    return new io.fabric8.kubernetes.client.informers.ResourceEventHandler<>() {
      @Override
      public void onAdd(HTTPRoute r) {
        seen.accept(r);
      }

      @Override
      public void onUpdate(HTTPRoute o, HTTPRoute r) {
        seen.accept(r);
      }

      @Override
      public void onDelete(HTTPRoute r, boolean unknown) {}
    };
  }
}
