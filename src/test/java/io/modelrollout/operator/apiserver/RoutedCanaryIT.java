package io.modelrollout.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.RolloutPolicy;
import io.modelrollout.operator.api.TrafficProvider;
import io.modelrollout.operator.api.TrafficSpec;
import io.modelrollout.operator.rollout.Split;
import io.modelrollout.operator.routing.RouteIntent;
import io.modelrollout.operator.routing.RouteState;
import io.modelrollout.operator.routing.TrafficRouters;
import io.modelrollout.operator.testing.FakeDeploymentController;
import io.modelrollout.operator.testing.Fixtures;
import io.modelrollout.operator.testing.OperatorHarness;
import io.modelrollout.operator.testing.Scenario;
import io.modelrollout.operator.testing.ScriptedMetrics;
import io.modelrollout.operator.testing.TestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A canary through each mesh provider: the route follows the steps, then ends clean. */
class RoutedCanaryIT {
  Scenario scenario;
  KubernetesClient client;
  String ns;
  OperatorHarness operator;
  FakeDeploymentController pods;

  @BeforeEach
  void setUp() {
    TestCluster.installRouteCrds();
    scenario = Scenario.start("routed", new ScriptedMetrics());
    client = scenario.client;
    ns = scenario.ns;
    pods = scenario.pods;
    operator = scenario.operator;
  }

  @AfterEach
  void tearDown() {
    scenario.close();
  }

  @ParameterizedTest
  @EnumSource(
      value = TrafficProvider.class,
      names = {"GatewayAPI", "Istio"})
  void theRouteFollowsTheSteps(TrafficProvider provider) throws Exception {
    CanaryStep header = new CanaryStep();
    header.setHeaderRoute = new CanaryStep.HeaderRoute();
    CanaryStep.RouteMatch m = new CanaryStep.RouteMatch();
    m.header = new CanaryStep.NameValue();
    m.header.name = "x-model-variant";
    m.header.value = "canary";
    header.setHeaderRoute.match = List.of(m);
    CanaryStep mirror = mirror(50);
    RolloutPolicy policy =
        Fixtures.canaryPolicy(
            ns,
            "routed",
            1,
            header,
            mirror,
            CanaryStep.weight(20),
            CanaryStep.pause("2s"),
            mirror(0),
            CanaryStep.weight(60),
            CanaryStep.pause("2s"));
    client.resource(policy).create();
    ModelDeployment md = Fixtures.withPolicy(Fixtures.model(ns, "fraud", "1.0.0", 3), "routed");
    md.getSpec().traffic = traffic(provider);
    client.resource(md).create();
    await().atMost(Duration.ofSeconds(30)).until(() -> phase() == Phase.Healthy);
    assertThat(read(provider).canaryWeight()).isZero();

    List<RouteState> seen = Collections.synchronizedList(new ArrayList<>());
    ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
    poller.scheduleAtFixedRate(
        () -> {
          try {
            seen.add(read(provider));
          } catch (RuntimeException e) {
          }
        },
        0,
        100,
        TimeUnit.MILLISECONDS);
    try {
      Fixtures.patch(client, ns, "fraud", "{\"spec\":{\"model\":{\"version\":\"2.0.0\"}}}");
      await().atMost(Duration.ofSeconds(60)).until(() -> "2.0.0".equals(stableVersion()));
      // until the poller has seen the route at rest after the promotion
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> !seen.isEmpty() && seen.get(seen.size() - 1).canaryWeight() == 0);
    } finally {
      poller.shutdownNow();
      // a poll still running would append to what is read below
      assertThat(poller.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
    List<Integer> weights = new ArrayList<>();
    for (RouteState s : seen) {
      if (weights.isEmpty() || weights.get(weights.size() - 1) != s.canaryWeight()) {
        weights.add(s.canaryWeight()); // consecutive repeats collapsed
      }
    }
    assertThat(weights).containsSubsequence(0, 20, 60, 0);
    assertThat(seen).anySatisfy(s -> assertThat(s.mirrorPercent()).isEqualTo(50));
    RouteState end = read(provider);
    assertThat(end.canaryWeight()).isZero();
    assertThat(end.mirrorPercent()).isZero();
    assertThat(end.verified()).isTrue();
    ModelDeployment done =
        client.resources(ModelDeployment.class).inNamespace(ns).withName("fraud").get();
    assertThat(done.getStatus().weights.provider).isEqualTo(provider.name());
    assertThat(done.getStatus().weights.verified).isTrue();
    assertThat(done.getStatus().weights.actualCanary).isZero();
    assertThat(client.services().inNamespace(ns).withName("fraud").get().getSpec().getSelector())
        .as("behind a router the entry Service selects stable")
        .containsEntry("modelrollout.io/revision", done.getStatus().stable.revision);
  }

  @Test
  void switchingTheProviderRemovesTheOldRoute() {
    ModelDeployment md = Fixtures.model(ns, "switch", "1.0.0", 1);
    md.getSpec().traffic = traffic(TrafficProvider.GatewayAPI);
    client.resource(md).create();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                client.resources(HTTPRoute.class).inNamespace(ns).withName("switch").get() != null);
    Fixtures.patch(
        client,
        ns,
        "switch",
        "{\"spec\":{\"traffic\":{\"provider\":\"Istio\",\"gatewayAPI\":null}}}");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                client
                            .genericKubernetesResources("networking.istio.io/v1", "VirtualService")
                            .inNamespace(ns)
                            .withName("switch")
                            .get()
                        != null
                    && client.resources(HTTPRoute.class).inNamespace(ns).withName("switch").get()
                        == null);
  }

  private static CanaryStep mirror(int percent) {
    CanaryStep s = new CanaryStep();
    s.setMirror = new CanaryStep.Mirror();
    s.setMirror.percent = percent;
    return s;
  }

  private static TrafficSpec traffic(TrafficProvider provider) {
    TrafficSpec t = new TrafficSpec();
    t.provider = provider;
    if (provider == TrafficProvider.GatewayAPI) {
      t.gatewayAPI = new TrafficSpec.GatewayApi();
      TrafficSpec.ParentRef p = new TrafficSpec.ParentRef();
      p.name = "gateway";
      t.gatewayAPI.parentRefs = List.of(p);
    }
    return t;
  }

  private RouteState read(TrafficProvider provider) {
    ModelDeployment md =
        client.resources(ModelDeployment.class).inNamespace(ns).withName("fraud").get();
    RouteIntent names =
        new RouteIntent("fraud-stable", "fraud-canary", 80, Split.STABLE_ONLY, 1, 1);
    var router = TrafficRouters.forProvider(provider, client);
    return router.read(router.observe(md), names);
  }

  private Phase phase() {
    ModelDeployment md =
        client.resources(ModelDeployment.class).inNamespace(ns).withName("fraud").get();
    return md.getStatus() == null ? null : md.getStatus().phase;
  }

  private String stableVersion() {
    ModelDeployment md =
        client.resources(ModelDeployment.class).inNamespace(ns).withName("fraud").get();
    return md.getStatus() == null || md.getStatus().stable == null
        ? null
        : md.getStatus().stable.version;
  }
}
