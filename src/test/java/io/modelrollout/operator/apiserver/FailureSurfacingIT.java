package io.modelrollout.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.Condition;
import io.modelrollout.operator.api.HistoryEntry.Outcome;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.RevisionServices;
import io.modelrollout.operator.api.ServiceSpec;
import io.modelrollout.operator.controller.EventRecorder;
import io.modelrollout.operator.status.Conditions;
import io.modelrollout.operator.status.EventSpec;
import io.modelrollout.operator.testing.Admission;
import io.modelrollout.operator.testing.Fixtures;
import io.modelrollout.operator.testing.LogCapture;
import io.modelrollout.operator.testing.Scenario;
import io.modelrollout.operator.testing.ScriptedMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a user sees when the cluster refuses the operator's writes, and what they do not see when
 * the API server answers as expected: a failed apply is a Degraded condition with the error and one
 * Warning event, an action whose annotation cannot be removed is still applied once, spec edits
 * racing the status are no error, and a namespace being deleted is no error either.
 */
class FailureSurfacingIT {
  Scenario scenario;
  KubernetesClient client;
  String ns;
  LogCapture logs;

  @BeforeEach
  void setUp() {
    logs = LogCapture.start();
    scenario = Scenario.start("failure", new ScriptedMetrics());
    client = scenario.client;
    ns = scenario.ns;
  }

  @AfterEach
  void tearDown() {
    scenario.close();
    logs.close();
  }

  @Test
  void aRefusedApplyIsDegradedWithTheErrorAndOneWarningThenRecovers() {
    ModelDeployment md;
    try (Admission refusal =
        Admission.refuse(
            client,
            ns,
            "",
            "services",
            "CREATE",
            "object.metadata.name != 'fraud' && object.metadata.name != 'probe'",
            () ->
                RouteOwnershipIT.refused(
                    () ->
                        client
                            .services()
                            .inNamespace(ns)
                            .resource(
                                new io.fabric8.kubernetes.api.model.ServiceBuilder()
                                    .withNewMetadata()
                                    .withName("probe")
                                    .endMetadata()
                                    .withNewSpec()
                                    .addNewPort()
                                    .withPort(80)
                                    .endPort()
                                    .endSpec()
                                    .build())
                            .dryRun()
                            .create()))) {
      client.resource(Fixtures.model(ns, "fraud", "1.0.0", 2)).create();
      md =
          scenario.awaitMd(
              "fraud",
              m -> {
                Condition d = Conditions.find(m.getStatus().conditions, Condition.DEGRADED);
                return d != null && d.isTrue() && "ReconcileFailed".equals(d.reason);
              });
      assertThat(md.getStatus().phase).isEqualTo(Phase.Degraded);
      assertThat(md.getStatus().message)
          .startsWith("cannot apply Service fraud")
          .contains("refused by the test's admission policy");
      // the write keeps failing for 10 s: retried with a growing backoff (1, 2, 4, 8 s), not in a
      // hot loop, and reported once; a retry every second would fail 10 times
      double before = apiErrors();
      long windowStart = System.nanoTime();
      await()
          .during(Duration.ofSeconds(10))
          .atMost(Duration.ofSeconds(13))
          .until(() -> scenario.events("ReconcileFailed").size() == 1 && apiErrors() - before <= 7);
      double retries = apiErrors() - before;
      System.out.printf(
          "[FailureSurfacingIT] %.0f failed reconciles in %.1f s while the write was refused%n",
          retries, (System.nanoTime() - windowStart) / 1e9);
      assertThat(retries).as("still retried, with backoff").isBetween(1.0, 7.0);
      assertThat(logs.stackTraces()).as("an API refusal is one log line").isEmpty();
    }
    md = scenario.awaitMd("fraud", m -> m.getStatus().phase == Phase.Healthy);
    assertThat(Conditions.find(md.getStatus().conditions, Condition.DEGRADED).status)
        .isEqualTo("False");
  }

  @Test
  void anUnwritableStatusIsOneWarningEventAndTheRunningVersionKeepsServing() {
    client
        .resource(
            Fixtures.canaryPolicy(ns, "half", 1, CanaryStep.weight(50), CanaryStep.pause(null)))
        .create();
    ModelDeployment always = Fixtures.withPolicy(Fixtures.model(ns, "fraud", "1.0.0", 2), "half");
    always.getSpec().service = new ServiceSpec(); // fraud-stable shows what serves
    always.getSpec().service.revisionServices = RevisionServices.Always;
    client.resource(always).create();
    // the probe that tells when the refusal is in force: a status write of its own
    client
        .resource(Fixtures.withPolicy(Fixtures.model(ns, "probe", "1.0.0", 0), "missing"))
        .create();
    ModelDeployment healthy = scenario.awaitMd("fraud", m -> m.getStatus().phase == Phase.Healthy);
    scenario.awaitMd("probe", m -> m.getStatus().phase != null);
    String v1 = healthy.getStatus().stable.revision;
    try (Admission refusal =
        Admission.refuse(
            client,
            ns,
            "modelrollout.io",
            "modeldeployments/status",
            "UPDATE",
            "false",
            () -> statusRefused())) {
      scenario.patch("fraud", "{\"spec\":{\"model\":{\"version\":\"2.0.0\"}}}");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> !warnings("fraud", "ReconcileFailed").isEmpty());
      // retried with backoff (1 s, 2 s, 4 s ...), the same failure is not told again
      await()
          .during(Duration.ofSeconds(6))
          .atMost(Duration.ofSeconds(10))
          .until(() -> warnings("fraud", "ReconcileFailed").size() == 1);
      io.fabric8.kubernetes.api.model.Event e = warnings("fraud", "ReconcileFailed").get(0);
      assertThat(e.getMessage())
          .contains("refused by the test's admission policy")
          .contains("status could not be written either");
      assertThat(scenario.md("fraud").getStatus().phase)
          .as("status as it was: nothing recorded it")
          .isEqualTo(Phase.Healthy);
      var stable = client.apps().deployments().inNamespace(ns).withName("fraud-" + v1).get();
      assertThat(stable.getSpec().getReplicas()).isEqualTo(2);
      assertThat(stable.getStatus().getReadyReplicas()).isEqualTo(2);
      assertThat(
              client
                  .services()
                  .inNamespace(ns)
                  .withName("fraud-stable")
                  .get()
                  .getSpec()
                  .getSelector())
          .containsEntry("modelrollout.io/revision", v1);
    }
    ModelDeployment md =
        scenario.awaitMd(
            "fraud",
            m -> m.getStatus().canary != null && "2.0.0".equals(m.getStatus().canary.version));
    assertThat(md.getStatus().stable.revision).isEqualTo(v1);
  }

  @Test
  void aModelDeploymentBeingDeletedGetsNoNewObjects() {
    ModelDeployment held = Fixtures.model(ns, "fraud", "1.0.0", 2);
    held.getMetadata().setFinalizers(List.of("test.modelrollout.io/hold"));
    client.resource(held).create();
    client.resource(Fixtures.model(ns, "other", "1.0.0", 1)).create();
    scenario.awaitMd("fraud", m -> m.getStatus().phase == Phase.Healthy);
    scenario.awaitMd("other", m -> m.getStatus().phase == Phase.Healthy);
    try {
      client.resources(ModelDeployment.class).inNamespace(ns).withName("fraud").delete();
      await().until(() -> scenario.md("fraud").getMetadata().getDeletionTimestamp() != null);
      client.services().inNamespace(ns).withName("fraud").delete();
      await().until(() -> client.services().inNamespace(ns).withName("fraud").get() == null);
      List<String> before = deployments("fraud");
      scenario.patch("fraud", "{\"spec\":{\"model\":{\"version\":\"2.0.0\"}}}");
      scenario.patch("other", "{\"spec\":{\"model\":{\"version\":\"2.0.0\"}}}");
      // a barrier: the operator has acted on the edit made at the same time
      await().atMost(Duration.ofSeconds(30)).until(() -> deployments("other").size() == 2);
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  deployments("fraud").equals(before)
                      && client.services().inNamespace(ns).withName("fraud").get() == null);
      assertThat(scenario.md("fraud").getStatus().canary).isNull();
    } finally {
      client
          .resources(ModelDeployment.class)
          .inNamespace(ns)
          .withName("fraud")
          .edit(
              m -> {
                m.getMetadata().setFinalizers(List.of());
                return m;
              });
    }
  }

  @Test
  void anActionWhoseAnnotationCannotBeRemovedIsAppliedOnce() {
    client
        .resource(
            Fixtures.canaryPolicy(ns, "half", 1, CanaryStep.weight(50), CanaryStep.pause(null)))
        .create();
    client.resource(Fixtures.withPolicy(Fixtures.model(ns, "fraud", "1.0.0", 2), "half")).create();
    // a ModelDeployment that holds the annotation and never acts on it (its policy is missing):
    // the probe that tells when the admission policy is in force
    ModelDeployment probe = Fixtures.withPolicy(Fixtures.model(ns, "probe", "1.0.0", 0), "missing");
    probe
        .getMetadata()
        .setAnnotations(new java.util.HashMap<>(Map.of("modelrollout.io/action", "retry")));
    client.resource(probe).create();
    scenario.awaitMd("fraud", m -> m.getStatus().phase == Phase.Healthy);
    scenario.patch("fraud", "{\"spec\":{\"model\":{\"version\":\"2.0.0\"}}}");
    scenario.awaitMd("fraud", m -> m.getStatus().phase == Phase.Paused);
    String keepsAnnotation =
        "!has(oldObject.metadata.annotations) || !('modelrollout.io/action' in"
            + " oldObject.metadata.annotations) || (has(object.metadata.annotations) &&"
            + " 'modelrollout.io/action' in object.metadata.annotations)";
    try (Admission refusal =
        Admission.refuse(
            client,
            ns,
            "modelrollout.io",
            "modeldeployments",
            "UPDATE",
            keepsAnnotation,
            () -> probeRefused())) {
      scenario.patch(
          "fraud", "{\"metadata\":{\"annotations\":{\"modelrollout.io/action\":\"abort\"}}}");
      ModelDeployment md = scenario.awaitMd("fraud", m -> m.getStatus().phase == Phase.RolledBack);
      assertThat(md.getStatus().lastAction.pending).isTrue();
      await()
          .during(Duration.ofSeconds(6))
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  scenario.events("ActionApplied").size() == 1
                      && scenario.events("Aborted").size() == 1);
      assertThat(scenario.md("fraud").getMetadata().getAnnotations())
          .containsEntry("modelrollout.io/action", "abort");
    }
    ModelDeployment md =
        scenario.awaitMd(
            "fraud",
            m ->
                !m.getMetadata().getAnnotations().containsKey("modelrollout.io/action")
                    && m.getStatus().lastAction.pending == null);
    assertThat(md.getStatus().history.stream().filter(h -> h.outcome == Outcome.Aborted))
        .hasSize(1);
    assertThat(scenario.events("ActionApplied")).hasSize(1);
    assertThat(scenario.events("Aborted")).hasSize(1);
  }

  @Test
  void specEditsRacingTheStatusAreNoError() {
    client.resource(Fixtures.model(ns, "fraud", "1.0.0", 2)).create();
    scenario.awaitMd("fraud", m -> m.getStatus().phase == Phase.Healthy);
    for (int i = 0; i < 15; i++) {
      scenario.patch("fraud", "{\"spec\":{\"replicas\":" + (2 + i % 3) + "}}");
    }
    ModelDeployment md =
        scenario.awaitMd(
            "fraud",
            m ->
                m.getStatus().observedGeneration.equals(m.getMetadata().getGeneration())
                    && m.getStatus().phase == Phase.Healthy);
    assertThat(md.getStatus().stable.replicas).isEqualTo(2 + 14 % 3);
    assertThat(scenario.events("ReconcileFailed")).isEmpty();
    assertThat(logs.warnings()).as("no conflict is logged as a warning").isEmpty();
  }

  @Test
  void aNamespaceBeingDeletedIsNoError() {
    for (int i = 0; i < 3; i++) {
      client.resource(Fixtures.model(ns, "m" + i, "1.0.0", 1)).create();
    }
    for (int i = 0; i < 3; i++) {
      scenario.awaitMd("m" + i, m -> m.getStatus().phase == Phase.Healthy);
    }
    // the test API server runs no namespace controller: the namespace stays Terminating, and
    // every object the operator would create in it is refused, as in a real cluster meanwhile
    client.namespaces().withName(ns).delete();
    await()
        .until(
            () ->
                "Terminating"
                    .equals(client.namespaces().withName(ns).get().getStatus().getPhase()));
    for (int i = 0; i < 3; i++) {
      scenario.patch("m" + i, "{\"spec\":{\"model\":{\"version\":\"2.0.0\"}}}");
    }
    // an event in a terminating namespace is refused: expected, so not a warning
    try (EventRecorder recorder = new EventRecorder(Clock.systemUTC())) {
      recorder.emit(
          client, scenario.md("m0"), EventSpec.normal("Probe", "into a terminating namespace"));
      assertThat(recorder.flush(Duration.ofSeconds(10))).as("sent").isTrue();
    }
    assertThat(scenario.events("Probe")).as("refused by the API server").isEmpty();
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .until(() -> logs.warnings().isEmpty());
    assertThat(logs.stackTraces()).isEmpty();
    assertThat(scenario.md("m0").getStatus().phase).isNotEqualTo(Phase.Degraded);
  }

  private List<io.fabric8.kubernetes.api.model.Event> warnings(String name, String reason) {
    return scenario.events(reason).stream()
        .filter(e -> "Warning".equals(e.getType()))
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  /** The names of the Deployments the operator runs for a ModelDeployment. */
  private List<String> deployments(String name) {
    return client.apps().deployments().inNamespace(ns).list().getItems().stream()
        .map(d -> d.getMetadata().getName())
        .filter(n -> n.startsWith(name + "-"))
        .sorted()
        .toList();
  }

  private boolean statusRefused() {
    try {
      client
          .resources(ModelDeployment.class)
          .inNamespace(ns)
          .withName("probe")
          .subresource("status")
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"message\":\"probe\"}}");
      return false;
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      return e.getMessage().contains("refused by the test's admission policy");
    }
  }

  private double apiErrors() {
    var c =
        scenario
            .operator
            .registry
            .find("modelrollout_reconcile_errors_total")
            .tag("kind", "api")
            .counter();
    return c == null ? 0 : c.count();
  }

  private boolean probeRefused() {
    try {
      client
          .resources(ModelDeployment.class)
          .inNamespace(ns)
          .withName("probe")
          .dryRun()
          .edit(
              m -> {
                m.getMetadata().getAnnotations().remove("modelrollout.io/action");
                return m;
              });
      return false;
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      return e.getMessage().contains("refused by the test's admission policy");
    }
  }
}
