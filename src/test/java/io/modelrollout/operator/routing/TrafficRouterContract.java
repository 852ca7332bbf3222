package io.modelrollout.operator.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.TrafficProvider;
import io.modelrollout.operator.api.TrafficSpec;
import io.modelrollout.operator.rollout.RequestMatchSpec;
import io.modelrollout.operator.rollout.RouteMatchSpec;
import io.modelrollout.operator.rollout.Split;
import io.modelrollout.operator.testing.Fixtures;
import io.modelrollout.operator.testing.RequestCounter;
import io.modelrollout.operator.testing.TestCluster;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link TrafficRouter} keeps, run once per implementation on the real API
 * server: weights set and read back, no write when nothing changed, what others added survives,
 * mirror and header routes, no weight to a side without ready pods, a clean route at rest, remove.
 */
abstract class TrafficRouterContract {
  protected KubernetesClient client;
  protected KubernetesClient counted;
  protected final RequestCounter requests = new RequestCounter();
  protected String ns;
  protected ModelDeployment md;
  protected TrafficRouter router;

  protected abstract TrafficProvider provider();

  /** Whether the router writes a route object (false: the split follows pods). */
  protected boolean routes() {
    return true;
  }

  /**
   * Adds an annotation, and a rule of someone else's that sends /admin to the operator's own stable
   * Service, to the route.
   */
  protected abstract void addForeignAnnotationAndRule();

  /** Whether the foreign annotation and rule are still on the route. */
  protected abstract boolean foreignAnnotationAndRulePresent();

  /** How many backends the primary rule names. */
  protected abstract int primaryBackends();

  /** Whether a rule sends requests with header x-model-variant=canary to the canary. */
  protected abstract boolean canaryHeaderRulePresent();

  protected abstract boolean routeExists();

  @BeforeEach
  void setUp() {
    TestCluster.installRouteCrds();
    client = TestCluster.client();
    counted =
        new KubernetesClientBuilder()
            .withConfig(TestCluster.config())
            .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("counter", requests))
            .build();
    ns = TestCluster.newNamespace(client, "router");
    ModelDeployment m = Fixtures.model(ns, "fraud", "1.0.0", 2);
    m.getSpec().traffic = new TrafficSpec();
    m.getSpec().traffic.provider = provider();
    if (provider() == TrafficProvider.GatewayAPI) {
      m.getSpec().traffic.gatewayAPI = new TrafficSpec.GatewayApi();
      TrafficSpec.ParentRef p = new TrafficSpec.ParentRef();
      p.name = "public-gateway";
      p.namespace = "infra";
      m.getSpec().traffic.gatewayAPI.parentRefs = List.of(p);
      m.getSpec().traffic.gatewayAPI.hostnames = List.of("fraud.example.com");
    }
    md = client.resource(m).create();
    router = TrafficRouters.forProvider(provider(), counted);
  }

  @AfterEach
  void tearDown() {
    counted.close();
    client.close();
  }

  protected RouteIntent intent(
      int weight, int mirror, List<RouteMatchSpec> matches, int canaryReady) {
    return new RouteIntent(
        "fraud-stable", "fraud-canary", 80, new Split(weight, mirror, matches), 2, canaryReady);
  }

  /** Applies an intent the way the reconciler does: observe, then apply. */
  protected RouteState apply(RouteIntent intent) {
    return router.apply(md, intent, router.observe(md));
  }

  protected RouteState read(RouteIntent intent) {
    return router.read(router.observe(md), intent);
  }

  /** Creates the route under the ModelDeployment's name as someone else would (no owner). */
  protected abstract void createForeignRoute(boolean adoptable);

  @Test
  void setsWeightsAndReadsThemBack() {
    RouteState s = apply(intent(30, 0, List.of(), 1));
    if (routes()) {
      assertThat(s.canaryWeight()).isEqualTo(30);
      assertThat(s.verified()).isTrue();
      assertThat(read(intent(30, 0, List.of(), 1))).isEqualTo(s);
      s = apply(intent(75, 0, List.of(), 1));
      assertThat(s.canaryWeight()).isEqualTo(75);
    } else {
      assertThat(s.verified()).as("a replica ratio is never exact").isFalse();
      assertThat(s.canaryWeight()).as("1 of 3 ready pods").isEqualTo(33);
    }
  }

  @Test
  void repeatingTheSameIntentMakesNoWrite() {
    apply(intent(20, 10, List.of(new RouteMatchSpec("x-model-variant", "canary", false)), 1));
    requests.reset();
    apply(intent(20, 10, List.of(new RouteMatchSpec("x-model-variant", "canary", false)), 1));
    apply(intent(20, 10, List.of(new RouteMatchSpec("x-model-variant", "canary", false)), 1));
    assertThat(requests.writes()).isEmpty();
  }

  @Test
  void whatOthersAddedSurvivesAWeightChange() {
    assumeTrue(routes());
    apply(intent(10, 0, List.of(), 1));
    addForeignAnnotationAndRule();
    RouteState s = apply(intent(50, 0, List.of(), 1));
    assertThat(s.canaryWeight()).isEqualTo(50);
    assertThat(foreignAnnotationAndRulePresent()).isTrue();
    requests.reset();
    apply(intent(50, 0, List.of(), 1));
    assertThat(requests.writes()).as("foreign content does not cause writes").isEmpty();
  }

  @Test
  void mirrorsAndRoutesByHeader() {
    assumeTrue(routes());
    RouteState s =
        apply(intent(0, 25, List.of(new RouteMatchSpec("x-model-variant", "canary", false)), 1));
    assertThat(s.mirrorPercent()).isEqualTo(25);
    assertThat(s.canaryWeight()).isZero();
    assertThat(s.verified()).isTrue();
    assertThat(canaryHeaderRulePresent()).isTrue();
    s = apply(intent(0, 0, List.of(), 1));
    assertThat(s.mirrorPercent()).isZero();
    assertThat(canaryHeaderRulePresent()).isFalse();
  }

  /** The route's rule that mirrors only matching requests, in words, or null when none. */
  protected String mirrorRule() {
    return null;
  }

  @Test
  void mirrorsOnlyMatchingRequestsAndSendsThemToStable() {
    assumeTrue(routes());
    RequestMatchSpec predict =
        new RequestMatchSpec(
            "POST", "/predict", List.of(new RouteMatchSpec("x-shadow", "yes", false)));
    RouteIntent shadow =
        new RouteIntent(
            "fraud-stable",
            "fraud-canary",
            80,
            new Split(0, 100, List.of(), List.of(predict)),
            2,
            1);
    RouteState s = apply(shadow);
    assertThat(s.mirrorPercent()).isEqualTo(100);
    assertThat(s.canaryWeight()).as("users only ever get stable's answer").isZero();
    assertThat(s.verified()).isTrue();
    assertThat(mirrorRule())
        .isEqualTo("POST /predict x-shadow=yes -> fraud-stable, mirror 100% to fraud-canary");
    requests.reset();
    apply(shadow);
    assertThat(requests.writes()).as("the API server's defaults are no difference").isEmpty();
    s = apply(intent(0, 0, List.of(), 1));
    assertThat(s.mirrorPercent()).isZero();
    assertThat(mirrorRule()).isNull();
  }

  @Test
  void neverSendsTrafficToACanaryWithoutReadyPods() {
    RouteState s =
        apply(intent(40, 30, List.of(new RouteMatchSpec("x-model-variant", "canary", false)), 0));
    assertThat(s.canaryWeight()).isZero();
    assertThat(s.mirrorPercent()).isZero();
    if (routes()) {
      assertThat(canaryHeaderRulePresent()).isFalse();
      assertThat(primaryBackends()).isEqualTo(1);
    }
  }

  @Test
  void atRestTheRouteHasOneBackendAndNoMirror() {
    assumeTrue(routes());
    apply(intent(60, 20, List.of(), 1));
    assertThat(primaryBackends()).isEqualTo(2);
    RouteState s = apply(intent(0, 0, List.of(), 0));
    assertThat(s.canaryWeight()).isZero();
    assertThat(s.mirrorPercent()).isZero();
    assertThat(primaryBackends()).isEqualTo(1);
  }

  @Test
  void removeDeletesTheRoute() {
    assumeTrue(routes());
    apply(intent(10, 0, List.of(), 1));
    assertThat(routeExists()).isTrue();
    router.remove(md);
    assertThat(routeExists()).isFalse();
  }

  @Test
  void aRouteSomeoneElseCreatedIsLeftAlone() {
    assumeTrue(routes());
    createForeignRoute(false);
    RouteObservation o = router.observe(md);
    assertThat(o.ownership()).isEqualTo(RouteObservation.Ownership.FOREIGN);
    assertThat(o.conflict("route", md))
        .contains("already exists")
        .contains("modelrollout.io/adopt");
    requests.reset();
    assertThatThrownBy(() -> apply(intent(10, 0, List.of(), 1)))
        .isInstanceOf(IllegalStateException.class);
    router.remove(md);
    assertThat(requests.writes()).as("nothing written, nothing deleted").isEmpty();
    assertThat(routeExists()).isTrue();
  }

  @Test
  void aRouteItsOwnerLetsGoIsAdopted() {
    assumeTrue(routes());
    createForeignRoute(true);
    assertThat(router.observe(md).ownership()).isEqualTo(RouteObservation.Ownership.ADOPTABLE);
    RouteState s = apply(intent(10, 0, List.of(), 1));
    assertThat(s.canaryWeight()).isEqualTo(10);
    assertThat(router.observe(md).ownership()).isEqualTo(RouteObservation.Ownership.OURS);
    router.remove(md);
    assertThat(routeExists()).isFalse();
  }
}
