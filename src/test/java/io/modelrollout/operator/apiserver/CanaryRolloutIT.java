package io.modelrollout.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.Condition;
import io.modelrollout.operator.api.HistoryEntry.Outcome;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.RolloutPolicy;
import io.modelrollout.operator.api.Verdict;
import io.modelrollout.operator.resources.RevisionHash;
import io.modelrollout.operator.status.Conditions;
import io.modelrollout.operator.testing.FakeDeploymentController;
import io.modelrollout.operator.testing.Fixtures;
import io.modelrollout.operator.testing.OperatorHarness;
import io.modelrollout.operator.testing.Scenario;
import io.modelrollout.operator.testing.ScriptedMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A canary on the real API server: Deployments, Services, status and events at each step of a
 * promotion and of a rollback, with scripted gate values.
 */
class CanaryRolloutIT {
  Scenario scenario;
  KubernetesClient client;
  String ns;
  OperatorHarness operator;
  FakeDeploymentController pods;
  ScriptedMetrics metrics = new ScriptedMetrics();

  @BeforeEach
  void setUp() {
    scenario = Scenario.start("canary", metrics);
    client = scenario.client;
    ns = scenario.ns;
    pods = scenario.pods;
    operator = scenario.operator;
    RolloutPolicy policy =
        Fixtures.canaryPolicy(
            ns,
            "safe-canary",
            1,
            CanaryStep.weight(25),
            CanaryStep.analysis("errors"),
            CanaryStep.weight(50),
            CanaryStep.pause("1s"));
    policy
        .getSpec()
        .gates
        .add(
            Fixtures.gate(
                "errors",
                "errors{model=\"{{model}}\",version=\"{{version}}\",variant=\"{{variant}}\"}",
                0.01));
    client.resource(policy).create();
    client
        .resource(Fixtures.withPolicy(Fixtures.model(ns, "fraud", "1.0.0", 4), "safe-canary"))
        .create();
    awaitMd(m -> phase(m) == Phase.Healthy);
  }

  @AfterEach
  void tearDown() {
    scenario.close();
  }

  @Test
  void promotesStepByStepOnHealthyMetrics() {
    metrics.answer("version=\"2.0.0\"", 0.001);
    String v1 = md().getStatus().stable.revision;
    List<String> observedSteps = Collections.synchronizedList(new ArrayList<>());
    setVersion("2.0.0");
    String v2 = RevisionHash.of(md().getSpec());

    ModelDeployment mid =
        awaitMd(
            m -> {
              if (m.getStatus().currentStep != null) observedSteps.add(m.getStatus().currentStep);
              return m.getStatus().weights.canary == 25;
            });
    assertThat(mid.getStatus().canary.version).isEqualTo("2.0.0");
    assertThat(deployment(v1).getSpec().getReplicas()).isEqualTo(4);
    assertThat(deployment(v2).getSpec().getReplicas()).isEqualTo(1);
    assertThat(client.services().inNamespace(ns).withName("fraud").get().getSpec().getSelector())
        .as("ReplicaRatio: the entry Service selects both revisions while both take traffic")
        .doesNotContainKey("modelrollout.io/revision");
    assertThat(client.services().inNamespace(ns).withName("fraud-canary").get())
        .as("ReplicaRatio: no per-revision Services (spec.service.revisionServices: Auto)")
        .isNull();

    ModelDeployment done =
        awaitMd(m -> "2.0.0".equals(m.getStatus().stable.version) && m.getStatus().canary == null);
    assertThat(done.getStatus().phase).isEqualTo(Phase.Healthy);
    assertThat(done.getStatus().history.get(0).outcome).isEqualTo(Outcome.Promoted);
    assertThat(done.getStatus().history.get(0).reason).isEqualTo("completed 4 steps");
    assertThat(client.services().inNamespace(ns).withName("fraud").get().getSpec().getSelector())
        .containsEntry("modelrollout.io/revision", v2);
    await("the rollout's duration is recorded once its status is written")
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> {
              var t =
                  operator
                      .registry
                      .find("modelrollout_rollout_duration")
                      .tag("outcome", "Promoted")
                      .timer();
              return t != null && t.count() == 1;
            });
    assertThat(metrics.queries())
        .contains("errors{model=\"fraud-detector\",version=\"2.0.0\",variant=\"canary\"}");

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                client.apps().deployments().inNamespace(ns).withName("fraud-" + v1).get() == null);
    assertThat(reasons())
        .contains(
            "RolloutStarted",
            "StepAdvanced",
            "TrafficWeightUpdated",
            "GatePassed",
            "RolloutPromoted");
    assertThat(events("RolloutStarted"))
        .as("emitted once, by the reconcile that started it")
        .hasSize(1);
    assertThat(events("RolloutPromoted")).as("the initial version, then 2.0.0").hasSize(2);
  }

  @Test
  void rollsBackOnABreachedGateWithTheValueInStatusAndEvent() {
    metrics.answer("version=\"2.0.0\"", 0.2);
    String v1 = md().getStatus().stable.revision;
    setVersion("2.0.0");
    String v2 = RevisionHash.of(md().getSpec());

    ModelDeployment rolledBack = awaitMd(m -> phase(m) == Phase.RolledBack);
    assertThat(rolledBack.getStatus().stable.revision).isEqualTo(v1);
    assertThat(rolledBack.getStatus().canary).isNull();
    assertThat(rolledBack.getStatus().weights.canary).isZero();
    assertThat(rolledBack.getStatus().gates)
        .singleElement()
        .satisfies(
            g -> {
              assertThat(g.verdict).isEqualTo(Verdict.Fail);
              assertThat(g.value).isEqualTo(0.2);
              assertThat(g.threshold).isEqualTo("<= 0.01");
              assertThat(g.query)
                  .isEqualTo(
                      "errors{model=\"fraud-detector\",version=\"2.0.0\",variant=\"canary\"}");
            });
    Condition degraded = Conditions.find(rolledBack.getStatus().conditions, Condition.DEGRADED);
    assertThat(degraded.status).isEqualTo("True");
    assertThat(degraded.message).contains("gate errors failed: value 0.2, threshold <= 0.01");
    await().atMost(Duration.ofSeconds(10)).until(() -> deployment(v2).getSpec().getReplicas() == 0);
    assertThat(deployment(v1).getSpec().getReplicas()).isEqualTo(4);
    assertThat(client.services().inNamespace(ns).withName("fraud").get().getSpec().getSelector())
        .containsEntry("modelrollout.io/revision", v1);

    await().atMost(Duration.ofSeconds(10)).until(() -> !events("RolledBack").isEmpty());
    Event warning = events("RolledBack").get(0);
    assertThat(warning.getType()).isEqualTo("Warning");
    assertThat(warning.getMessage()).contains("value 0.2, threshold <= 0.01");
    assertThat(events("GateFailed"))
        .singleElement()
        .satisfies(e -> assertThat(e.getMessage()).contains("value 0.2"));

    // retry through the annotation, with healthy metrics now
    metrics.answer("version=\"2.0.0\"", 0.0);
    Fixtures.patch(
        client,
        ns,
        "fraud",
        "{\"metadata\":{\"annotations\":{\"modelrollout.io/action\":\"retry\"}}}");
    ModelDeployment promoted = awaitMd(m -> "2.0.0".equals(m.getStatus().stable.version));
    assertThat(promoted.getMetadata().getAnnotations()).doesNotContainKey("modelrollout.io/action");
    assertThat(promoted.getStatus().lastAction.action).isEqualTo("retry");
    assertThat(events("ActionApplied")).singleElement();
  }

  private void setVersion(String v) {
    Fixtures.patch(
        client,
        ns,
        "fraud",
        "{\"spec\":{\"model\":{\"version\":\""
            + v
            + "\",\"uri\":\"s3://models/fraud/"
            + v
            + "\"}}}");
  }

  private ModelDeployment md() {
    return scenario.md("fraud");
  }

  private ModelDeployment awaitMd(Predicate<ModelDeployment> p) {
    return scenario.awaitMd("fraud", p);
  }

  private Deployment deployment(String revision) {
    return client.apps().deployments().inNamespace(ns).withName("fraud-" + revision).get();
  }

  private static Phase phase(ModelDeployment m) {
    return m.getStatus() == null ? null : m.getStatus().phase;
  }

  private List<Event> events(String reason) {
    return scenario.events(reason);
  }

  private List<String> reasons() {
    scenario.operator.flushEvents();
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .sorted(
            java.util.Comparator.comparing(
                    Event::getLastTimestamp,
                    java.util.Comparator.nullsLast(java.util.Comparator.<String>naturalOrder()))
                .thenComparing(e -> e.getMetadata().getCreationTimestamp()))
        .map(Event::getReason)
        .toList();
  }
}
