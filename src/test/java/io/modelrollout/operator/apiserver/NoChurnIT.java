package io.modelrollout.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.RolloutPolicy;
import io.modelrollout.operator.testing.FakeDeploymentController;
import io.modelrollout.operator.testing.Fixtures;
import io.modelrollout.operator.testing.OperatorHarness;
import io.modelrollout.operator.testing.ScriptedMetrics;
import io.modelrollout.operator.testing.TestCluster;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reconciling an unchanged ModelDeployment makes no write request, counted at the client. */
class NoChurnIT {
  KubernetesClient client;
  String ns;
  FakeDeploymentController pods;

  @BeforeEach
  void setUp() {
    client = TestCluster.client();
    ns = TestCluster.newNamespace(client, "churn");
    pods = new FakeDeploymentController(client, ns);
  }

  @AfterEach
  void tearDown() {
    pods.close();
    client.close();
  }

  /**
   * A ModelDeployment at its first generation never named another data plane, so its first
   * reconciles look up no route of one (two GETs per ModelDeployment created, before).
   */
  @Test
  void aNewModelDeploymentLooksUpNoRouteOfAnotherDataPlane() {
    TestCluster.installRouteCrds();
    try (OperatorHarness op = OperatorHarness.start(ns, new ScriptedMetrics())) {
      client.resource(Fixtures.model(ns, "fresh", "1.0.0", 1)).create();
      await().atMost(Duration.ofSeconds(30)).until(() -> phase("fresh") == Phase.Healthy);
      assertThat(op.requests.all())
          .as("requests of the operator")
          .isNotEmpty()
          .noneMatch(r -> r.contains("/httproutes/") || r.contains("/virtualservices/"));
    }
  }

  @Test
  void aRestartedOperatorAndAForeignEditCauseNoWrites() {
    try (OperatorHarness first = OperatorHarness.start(ns, new ScriptedMetrics())) {
      client.resource(Fixtures.model(ns, "steady", "1.0.0", 2)).create();
      await().atMost(Duration.ofSeconds(30)).until(() -> phase("steady") == Phase.Healthy);
      assertThat(first.requests.writes()).as("the first reconciles do write").isNotEmpty();
    }

    try (OperatorHarness second = OperatorHarness.start(ns, new ScriptedMetrics())) {
      // the restart reconciles every ModelDeployment once, and must write nothing, then or later
      await().atMost(Duration.ofSeconds(10)).until(() -> reconciles(second) >= 1);
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(4))
          .until(() -> second.requests.writes().isEmpty());

      // someone else annotates an owned Service: an event, a reconcile, and still no write
      double before = reconciles(second);
      client
          .services()
          .inNamespace(ns)
          .withName("steady")
          .edit(
              s ->
                  new ServiceBuilder(s)
                      .editMetadata()
                      .addToAnnotations("example.com/owner", "sre")
                      .addToLabels("example.com/tier", "gold")
                      .endMetadata()
                      .build());
      await().atMost(Duration.ofSeconds(10)).until(() -> reconciles(second) > before);
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(4))
          .until(() -> second.requests.writes().isEmpty());
      Service s = client.services().inNamespace(ns).withName("steady").get();
      assertThat(s.getMetadata().getAnnotations()).containsEntry("example.com/owner", "sre");
      assertThat(s.getMetadata().getLabels()).containsEntry("example.com/tier", "gold");
    }
  }

  /**
   * A canary of one pod through setWeight 50, a pause and the promotion writes each thing once: the
   * new Deployment, the canary Service, the entry Service twice (50%, then the new revision), the
   * stable Service, the old Deployment's deletion, and status at most three times (the rollout
   * started, the pause, promoted): what a settling step observed waits for the step's end, and a
   * finished scale-down alone writes nothing.
   */
  @Test
  void aTwoStepCanaryWritesAtMostThreeTimesPerStep() {
    RolloutPolicy policy =
        Fixtures.canaryPolicy(ns, "two-step", 1, CanaryStep.weight(50), CanaryStep.pause("2s"));
    policy.getSpec().canary.scaleDownDelay = "1s";
    client.resource(policy).create();
    try (OperatorHarness op = OperatorHarness.start(ns, new ScriptedMetrics())) {
      client
          .resource(Fixtures.withPolicy(Fixtures.model(ns, "lean", "1.0.0", 1), "two-step"))
          .create();
      await().atMost(Duration.ofSeconds(30)).until(() -> phase("lean") == Phase.Healthy);
      int[] first = {-1};
      await() // the first version's writes are over
          .pollInterval(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(20))
          .until(() -> first[0] == (first[0] = rolloutWrites(op).size()));
      op.requests.reset();

      Fixtures.patch(client, ns, "lean", "{\"spec\":{\"model\":{\"version\":\"2.0.0\"}}}");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> phase("lean") == Phase.Healthy && "2.0.0".equals(stable("lean")));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> client.apps().deployments().inNamespace(ns).list().getItems().size() == 1);
      int[] seen = {-1};
      await() // nothing more comes: the count is the rollout's
          .pollInterval(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(20))
          .until(() -> seen[0] == (seen[0] = rolloutWrites(op).size()));

      List<String> writes = rolloutWrites(op);
      List<String> status = writes.stream().filter(w -> w.endsWith("/status")).toList();
      assertThat(status).as("status writes in %s", writes).hasSizeLessThanOrEqualTo(3);
      assertThat(writes).as("3 steps (setWeight, pause, promote)").hasSizeLessThanOrEqualTo(9);
    }
  }

  private static List<String> rolloutWrites(OperatorHarness h) {
    return h.requests.writes().stream().filter(w -> !w.contains("/events")).toList();
  }

  private String stable(String name) {
    ModelDeployment md =
        client.resources(ModelDeployment.class).inNamespace(ns).withName(name).get();
    return md == null || md.getStatus() == null || md.getStatus().stable == null
        ? null
        : md.getStatus().stable.version;
  }

  private static double reconciles(OperatorHarness h) {
    var c = h.registry.find("modelrollout_reconciles_total").counter();
    return c == null ? 0 : c.count();
  }

  private Phase phase(String name) {
    ModelDeployment md =
        client.resources(ModelDeployment.class).inNamespace(ns).withName(name).get();
    return md == null || md.getStatus() == null ? null : md.getStatus().phase;
  }
}
