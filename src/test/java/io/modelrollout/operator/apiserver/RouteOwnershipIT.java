package io.modelrollout.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.Condition;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.TrafficProvider;
import io.modelrollout.operator.api.TrafficSpec;
import io.modelrollout.operator.routing.RouteObservation;
import io.modelrollout.operator.status.Conditions;
import io.modelrollout.operator.testing.Admission;
import io.modelrollout.operator.testing.Fixtures;
import io.modelrollout.operator.testing.Scenario;
import io.modelrollout.operator.testing.ScriptedMetrics;
import io.modelrollout.operator.testing.TestCluster;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Routes on the real API server touch only what is the operator's: a user's rule to the operator's
 * Services survives every reconcile, a route someone else created under the same name is left alone
 * (and never deleted), and the route of a data plane no longer used is removed, retried while its
 * removal is refused.
 */
class RouteOwnershipIT {
  Scenario scenario;
  KubernetesClient client;
  String ns;

  @BeforeEach
  void setUp() {
    TestCluster.installRouteCrds();
    scenario = Scenario.start("owner", new ScriptedMetrics());
    client = scenario.client;
    ns = scenario.ns;
    client
        .resource(
            Fixtures.canaryPolicy(
                ns,
                "steps",
                1,
                CanaryStep.weight(20),
                CanaryStep.weight(60),
                CanaryStep.pause("1s")))
        .create();
  }

  @AfterEach
  void tearDown() {
    scenario.close();
  }

  @Test
  void aUsersRuleToTheOperatorsServicesSurvivesARollout() {
    client.resource(routed("fraud", TrafficProvider.GatewayAPI)).create();
    scenario.awaitMd("fraud", m -> m.getStatus().phase == Phase.Healthy);
    client
        .resources(HTTPRoute.class)
        .inNamespace(ns)
        .withName("fraud")
        .edit(
            r ->
                new HTTPRouteBuilder(r)
                    .editSpec()
                    .addNewRule()
                    .addNewMatch()
                    .withNewPath()
                    .withType("PathPrefix")
                    .withValue("/admin")
                    .endPath()
                    .endMatch()
                    .addNewBackendRef()
                    .withName("fraud-stable")
                    .withPort(80)
                    .endBackendRef()
                    .endRule()
                    .endSpec()
                    .build());
    scenario.patch("fraud", "{\"spec\":{\"model\":{\"version\":\"2.0.0\"}}}");
    scenario.awaitMd(
        "fraud", m -> m.getStatus().canary == null && "2.0.0".equals(m.getStatus().stable.version));
    HTTPRoute r = client.resources(HTTPRoute.class).inNamespace(ns).withName("fraud").get();
    assertThat(r.getSpec().getRules())
        .as("the /admin rule is the user's, whatever Service it names")
        .anySatisfy(
            rule -> {
              assertThat(rule.getName()).isNull();
              assertThat(rule.getMatches().get(0).getPath().getValue()).isEqualTo("/admin");
              assertThat(rule.getBackendRefs().get(0).getName()).isEqualTo("fraud-stable");
            });
  }

  @Test
  void aForeignEditOfTheWeightsIsUndoneAtOnce() {
    client.resource(routed("fraud", TrafficProvider.GatewayAPI)).create();
    scenario.awaitMd("fraud", m -> m.getStatus().phase == Phase.Healthy);
    long edited = System.nanoTime();
    client
        .resources(HTTPRoute.class)
        .inNamespace(ns)
        .withName("fraud")
        .edit(
            r -> {
              var primary =
                  r.getSpec().getRules().stream()
                      .filter(x -> "modelrollout-primary".equals(x.getName()))
                      .findFirst()
                      .orElseThrow();
              primary.setBackendRefs(
                  List.of(
                      new io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRefBuilder()
                          .withName("fraud-canary")
                          .withPort(80)
                          .withWeight(100)
                          .build()));
              return r;
            });
    // the issue asks for a second; 3 s leaves room for a busy 2-core machine, and is still far
    // from the next resync (5 minutes) or a requeue
    await("undone from the route's watch, not at the next resync (5 minutes)")
        .atMost(Duration.ofSeconds(3))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                client
                    .resources(HTTPRoute.class)
                    .inNamespace(ns)
                    .withName("fraud")
                    .get()
                    .getSpec()
                    .getRules()
                    .stream()
                    .filter(x -> "modelrollout-primary".equals(x.getName()))
                    .allMatch(
                        x ->
                            x.getBackendRefs().size() == 1
                                && x.getBackendRefs().get(0).getName().equals("fraud-stable")));
    System.out.printf(
        "[RouteOwnershipIT] a foreign weight edit undone after %d ms%n",
        (System.nanoTime() - edited) / 1_000_000);
  }

  @Test
  void aRouteSomeoneElseCreatedIsAConflictLeftAloneAndNeverDeleted() {
    HTTPRoute foreign = client.resource(foreignRoute("fraud", false)).create();
    client.resource(routed("fraud", TrafficProvider.GatewayAPI)).create();
    ModelDeployment md =
        scenario.awaitMd(
            "fraud", m -> Conditions.isTrue(m.getStatus().conditions, Condition.INVALID_SPEC));
    assertThat(md.getStatus().phase).isEqualTo(Phase.Degraded);
    assertThat(Conditions.find(md.getStatus().conditions, Condition.INVALID_SPEC).message)
        .contains("HTTPRoute " + ns + "/fraud already exists and was not created for this")
        .contains(RouteObservation.ADOPT_ANNOTATION + "=true");
    assertThat(scenario.events("InvalidSpec")).hasSize(1);
    assertThat(client.apps().deployments().inNamespace(ns).list().getItems())
        .as("nothing runs for a spec whose route is someone else's")
        .isEmpty();
    HTTPRoute after = client.resources(HTTPRoute.class).inNamespace(ns).withName("fraud").get();
    assertThat(after.getMetadata().getResourceVersion())
        .isEqualTo(foreign.getMetadata().getResourceVersion());

    client.resources(ModelDeployment.class).inNamespace(ns).withName("fraud").delete();
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                client.resources(HTTPRoute.class).inNamespace(ns).withName("fraud").get() != null);
  }

  @Test
  void aRouteItsOwnerLetsGoIsAdoptedAndRouted() {
    client.resource(foreignRoute("fraud", true)).create();
    client.resource(routed("fraud", TrafficProvider.GatewayAPI)).create();
    scenario.awaitMd("fraud", m -> m.getStatus().phase == Phase.Healthy);
    HTTPRoute r = client.resources(HTTPRoute.class).inNamespace(ns).withName("fraud").get();
    assertThat(r.getMetadata().getOwnerReferences()).hasSize(1);
    assertThat(r.getSpec().getRules())
        .extracting(x -> x.getName())
        .contains("modelrollout-primary");
  }

  /**
   * Without a route the per-revision Services have no reader and go, but only once the old route,
   * which still sends to them, is gone.
   */
  @Test
  void aRouteLeftBehindKeepsItsBackendServicesUntilItIsGone() {
    client.resource(routed("fraud", TrafficProvider.GatewayAPI)).create();
    scenario.awaitMd("fraud", m -> m.getStatus().phase == Phase.Healthy);
    client.resource(foreignRoute("probe", false)).create();
    try (Admission refusal =
        Admission.refuse(
            client,
            ns,
            "gateway.networking.k8s.io",
            "httproutes",
            "DELETE",
            "false",
            () ->
                refused(
                    () ->
                        client
                            .resources(HTTPRoute.class)
                            .inNamespace(ns)
                            .withName("probe")
                            .dryRun()
                            .delete()))) {
      scenario.patch(
          "fraud", "{\"spec\":{\"traffic\":{\"provider\":\"ReplicaRatio\",\"gatewayAPI\":null}}}");
      ModelDeployment md = scenario.awaitMd("fraud", m -> !m.getStatus().staleRoutes.isEmpty());
      assertThat(md.getStatus().weights.provider).isEqualTo("ReplicaRatio");
      assertThat(client.services().inNamespace(ns).withName("fraud-stable").get())
          .as("the route left behind still sends to it")
          .isNotNull();
      assertThat(client.services().inNamespace(ns).withName("fraud-canary").get()).isNotNull();
    }
    scenario.awaitMd("fraud", m -> m.getStatus().staleRoutes.isEmpty());
    assertThat(client.resources(HTTPRoute.class).inNamespace(ns).withName("fraud").get()).isNull();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                client.services().inNamespace(ns).withName("fraud-stable").get() == null
                    && client.services().inNamespace(ns).withName("fraud-canary").get() == null);
    assertThat(client.services().inNamespace(ns).withName("fraud").get()).isNotNull();
  }

  @Test
  void aRouteWhoseRemovalIsRefusedStaysListedUntilItIsGone() {
    client.resource(routed("fraud", TrafficProvider.GatewayAPI)).create();
    scenario.awaitMd("fraud", m -> m.getStatus().phase == Phase.Healthy);
    client.resource(foreignRoute("probe", false)).create();
    try (Admission refusal =
        Admission.refuse(
            client,
            ns,
            "gateway.networking.k8s.io",
            "httproutes",
            "DELETE",
            "false",
            () ->
                refused(
                    () ->
                        client
                            .resources(HTTPRoute.class)
                            .inNamespace(ns)
                            .withName("probe")
                            .dryRun()
                            .delete()))) {
      scenario.patch(
          "fraud", "{\"spec\":{\"traffic\":{\"provider\":\"Istio\",\"gatewayAPI\":null}}}");
      ModelDeployment md = scenario.awaitMd("fraud", m -> !m.getStatus().staleRoutes.isEmpty());
      assertThat(md.getStatus().staleRoutes)
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.provider).isEqualTo("GatewayAPI");
                assertThat(s.message).contains("refused by the test's admission policy");
              });
      assertThat(md.getStatus().weights.provider).isEqualTo("Istio");
      assertThat(scenario.events("RouteRemovalFailed")).hasSize(1);
      assertThat(client.resources(HTTPRoute.class).inNamespace(ns).withName("fraud").get())
          .isNotNull();
    }
    scenario.awaitMd("fraud", m -> m.getStatus().staleRoutes.isEmpty());
    assertThat(client.resources(HTTPRoute.class).inNamespace(ns).withName("fraud").get()).isNull();
    assertThat(
            client
                .genericKubernetesResources("networking.istio.io/v1", "VirtualService")
                .inNamespace(ns)
                .withName("fraud")
                .get())
        .isNotNull();
  }

  static boolean refused(Runnable write) {
    try {
      write.run();
      return false;
    } catch (KubernetesClientException e) {
      return e.getMessage().contains("refused by the test's admission policy");
    }
  }

  private ModelDeployment routed(String name, TrafficProvider provider) {
    ModelDeployment md = Fixtures.withPolicy(Fixtures.model(ns, name, "1.0.0", 2), "steps");
    md.getSpec().traffic = new TrafficSpec();
    md.getSpec().traffic.provider = provider;
    md.getSpec().traffic.gatewayAPI = new TrafficSpec.GatewayApi();
    TrafficSpec.ParentRef p = new TrafficSpec.ParentRef();
    p.name = "gateway";
    md.getSpec().traffic.gatewayAPI.parentRefs = List.of(p);
    return md;
  }

  private HTTPRoute foreignRoute(String name, boolean adoptable) {
    var b =
        new HTTPRouteBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(ns)
            .endMetadata()
            .withNewSpec()
            .addNewParentRef()
            .withName("team-gateway")
            .endParentRef()
            .addNewRule()
            .addNewBackendRef()
            .withName("team-service")
            .withPort(8080)
            .endBackendRef()
            .endRule()
            .endSpec();
    if (adoptable) {
      b.editMetadata().addToAnnotations(RouteObservation.ADOPT_ANNOTATION, "true").endMetadata();
    }
    return b.build();
  }
}
