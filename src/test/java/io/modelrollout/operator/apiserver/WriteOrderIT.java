package io.modelrollout.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.TrafficProvider;
import io.modelrollout.operator.api.TrafficSpec;
import io.modelrollout.operator.routing.istio.VirtualServices;
import io.modelrollout.operator.testing.Fixtures;
import io.modelrollout.operator.testing.Scenario;
import io.modelrollout.operator.testing.ScriptedMetrics;
import io.modelrollout.operator.testing.TestCluster;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The order of writes (see controller/Applier), read from the API server itself: every change to
 * the route, the Services and the Deployments is recorded with its resourceVersion, which etcd
 * orders globally. A canary at 50% is then superseded, aborted or promoted, behind each data plane:
 * the Gateway API's HTTPRoute, Istio's VirtualService, and with ReplicaRatio the entry Service's
 * selector (where no request goes through the stable and canary Services, so only the route's order
 * against the Deployments applies).
 */
class WriteOrderIT {
  Scenario scenario;
  final List<Change> changes = new CopyOnWriteArrayList<>();
  final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  String v1;
  String v2;

  /** One change seen by a watch. */
  record Change(long rv, String what) {}

  /** Starts a canary at 50% behind {@code provider}, then records every change from there. */
  void atFiftyPercent(TrafficProvider provider) {
    TestCluster.installRouteCrds();
    scenario = Scenario.start("order", new ScriptedMetrics());
    var client = scenario.client;
    client
        .resource(
            Fixtures.canaryPolicy(
                scenario.ns, "half", 1, CanaryStep.weight(50), CanaryStep.pause(null)))
        .create();
    ModelDeployment md =
        Fixtures.withPolicy(Fixtures.model(scenario.ns, "fraud", "1.0.0", 2), "half");
    md.getSpec().traffic = new TrafficSpec();
    md.getSpec().traffic.provider = provider;
    if (provider == TrafficProvider.GatewayAPI) {
      md.getSpec().traffic.gatewayAPI = new TrafficSpec.GatewayApi();
      TrafficSpec.ParentRef p = new TrafficSpec.ParentRef();
      p.name = "gateway";
      md.getSpec().traffic.gatewayAPI.parentRefs = List.of(p);
    }
    client.resource(md).create();
    v1 =
        scenario
            .awaitMd("fraud", m -> m.getStatus().phase == Phase.Healthy)
            .getStatus()
            .stable
            .revision;
    scenario.patch("fraud", "{\"spec\":{\"model\":{\"version\":\"2.0.0\"}}}");
    ModelDeployment paused =
        scenario.awaitMd(
            "fraud",
            m -> m.getStatus().phase == Phase.Paused && m.getStatus().weights.canary == 50);
    v2 = paused.getStatus().canary.revision;
    switch (provider) {
      case GatewayAPI ->
          watch(
              client.resources(HTTPRoute.class).inNamespace(scenario.ns).inform(),
              WriteOrderIT::route);
      case Istio ->
          watch(
              client
                  .genericKubernetesResources(VirtualServices.API_VERSION, VirtualServices.KIND)
                  .inNamespace(scenario.ns)
                  .inform(),
              WriteOrderIT::virtualService);
      case ReplicaRatio -> {} // the route is the entry Service's selector
    }
    watch(client.services().inNamespace(scenario.ns).inform(), WriteOrderIT::service);
    watch(client.apps().deployments().inNamespace(scenario.ns).inform(), WriteOrderIT::deployment);
  }

  /** The change that takes all traffic off the canary: the route's, or the entry Service's. */
  private String drained(TrafficProvider provider) {
    return provider == TrafficProvider.ReplicaRatio ? "service fraud -> " + v1 : "route canary=0";
  }

  @AfterEach
  void tearDown() {
    informers.forEach(SharedIndexInformer::close);
    if (scenario != null) {
      scenario.close();
    }
  }

  @ParameterizedTest
  @EnumSource(TrafficProvider.class)
  void aNewVersionTakesTrafficOffTheCanaryBeforeItsServiceMovesAndItsPodsGo(TrafficProvider p) {
    atFiftyPercent(p);
    scenario.patch("fraud", "{\"spec\":{\"model\":{\"version\":\"3.0.0\"}}}");
    ModelDeployment md =
        scenario.awaitMd(
            "fraud",
            m -> m.getStatus().canary != null && "3.0.0".equals(m.getStatus().canary.version));
    String v3 = md.getStatus().canary.revision;
    scenario.awaitMd("fraud", m -> m.getStatus().weights.canary == 50);
    List<String> order = ordered();
    int drained = order.indexOf(drained(p));
    int gone = order.indexOf("deployment fraud-" + v2 + " deleted");
    assertThat(drained).as("%s", order).isNotNegative();
    assertThat(gone).as("%s", order).isGreaterThan(drained);
    if (p != TrafficProvider.ReplicaRatio) { // without a router no request goes through the Service
      assertThat(order.indexOf("service fraud-canary -> " + v3))
          .as("%s", order)
          .isGreaterThan(drained);
    }
  }

  @ParameterizedTest
  @EnumSource(TrafficProvider.class)
  void anAbortTakesTrafficOffTheCanaryBeforeItsServiceMovesBackAndItsPodsGo(TrafficProvider p) {
    atFiftyPercent(p);
    scenario.patch(
        "fraud", "{\"metadata\":{\"annotations\":{\"modelrollout.io/action\":\"abort\"}}}");
    scenario.awaitMd("fraud", m -> m.getStatus().phase == Phase.RolledBack);
    scenario.awaitMd(
        "fraud", m -> m.getStatus().scaleDown.isEmpty() && m.getStatus().canary == null);
    org.awaitility.Awaitility.await()
        .until(() -> ordered().contains("deployment fraud-" + v2 + " replicas=0"));
    List<String> order = ordered();
    int drained = order.indexOf(drained(p));
    assertThat(drained).as("%s", order).isNotNegative();
    assertThat(order.indexOf("deployment fraud-" + v2 + " replicas=0")).isGreaterThan(drained);
    if (p != TrafficProvider.ReplicaRatio) {
      assertThat(order.indexOf("service fraud-canary -> " + v1)).isGreaterThan(drained);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = TrafficProvider.class,
      names = {"GatewayAPI", "Istio"})
  void promotionRoutesEverythingToTheCanaryBeforeTheStableServiceMoves(TrafficProvider p) {
    atFiftyPercent(p);
    scenario.patch(
        "fraud", "{\"metadata\":{\"annotations\":{\"modelrollout.io/action\":\"promote\"}}}");
    scenario.awaitMd(
        "fraud", m -> m.getStatus().canary == null && "2.0.0".equals(m.getStatus().stable.version));
    org.awaitility.Awaitility.await()
        .until(() -> ordered().contains("service fraud-stable -> " + v2));
    List<String> order = ordered();
    int allCanary = order.indexOf("route canary=100");
    int stableMoved = order.indexOf("service fraud-stable -> " + v2);
    assertThat(allCanary).as("%s", order).isNotNegative();
    assertThat(stableMoved).as("%s", order).isGreaterThan(allCanary);
    assertThat(order.subList(stableMoved, order.size()))
        .as("then the route sends all to stable")
        .contains("route canary=0");
  }

  /** Without a router the entry Service is the route: it selects the new revision alone first. */
  @Test
  void promotionWithReplicaRatioSelectsTheNewRevisionBeforeTheOldOneScalesDown() {
    atFiftyPercent(TrafficProvider.ReplicaRatio);
    scenario.patch(
        "fraud", "{\"metadata\":{\"annotations\":{\"modelrollout.io/action\":\"promote\"}}}");
    scenario.awaitMd(
        "fraud", m -> m.getStatus().canary == null && "2.0.0".equals(m.getStatus().stable.version));
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .until(() -> ordered().contains("deployment fraud-" + v1 + " deleted"));
    List<String> order = ordered();
    int selected = order.indexOf("service fraud -> " + v2);
    assertThat(selected).as("%s", order).isNotNegative();
    assertThat(order.indexOf("deployment fraud-" + v1 + " deleted")).isGreaterThan(selected);
    assertThat(order.subList(selected, order.size()))
        .as("the entry never selects the old revision again")
        .doesNotContain("service fraud -> " + v1, "service fraud -> every revision");
  }

  private List<String> ordered() {
    return changes.stream().sorted(Comparator.comparingLong(Change::rv)).map(Change::what).toList();
  }

  private <T extends HasMetadata> void watch(
      SharedIndexInformer<T> informer, Function<T, String> describe) {
    informers.add(informer);
    informer.addEventHandler(
        new ResourceEventHandler<T>() {
          @Override
          public void onAdd(T o) {}

          @Override
          public void onUpdate(T old, T o) {
            String before = describe.apply(old);
            String after = describe.apply(o);
            if (!after.equals(before)) {
              changes.add(new Change(Long.parseLong(o.getMetadata().getResourceVersion()), after));
            }
          }

          @Override
          public void onDelete(T o, boolean unknown) {
            changes.add(
                new Change(
                    Long.parseLong(o.getMetadata().getResourceVersion()),
                    o.getClass().getSimpleName().toLowerCase()
                        + " "
                        + o.getMetadata().getName()
                        + " deleted"));
          }
        });
  }

  private static String route(HTTPRoute r) {
    int canary = 0;
    for (var rule : r.getSpec().getRules()) {
      if ("modelrollout-primary".equals(rule.getName())) {
        for (var b : rule.getBackendRefs()) {
          if ("fraud-canary".equals(b.getName())) {
            canary = b.getWeight();
          }
        }
      }
    }
    return "route canary=" + canary;
  }

  private static String service(Service s) {
    String revision = s.getSpec().getSelector().get("modelrollout.io/revision");
    return "service "
        + s.getMetadata().getName()
        + " -> "
        + (revision == null ? "every revision" : revision);
  }

  @SuppressWarnings("unchecked")
  private static String virtualService(GenericKubernetesResource vs) {
    int canary = 0;
    Map<String, Object> spec = (Map<String, Object>) vs.getAdditionalProperties().get("spec");
    for (Object o : (List<Object>) spec.getOrDefault("http", List.of())) {
      Map<String, Object> rule = (Map<String, Object>) o;
      if ("modelrollout-primary".equals(rule.get("name"))) {
        for (Object d : (List<Object>) rule.getOrDefault("route", List.of())) {
          Map<String, Object> dest = (Map<String, Object>) d;
          Object host = ((Map<String, Object>) dest.get("destination")).get("host");
          if ("fraud-canary".equals(host) && dest.get("weight") instanceof Number n) {
            canary = n.intValue();
          }
        }
      }
    }
    return "route canary=" + canary;
  }

  private static String deployment(Deployment d) {
    return "deployment " + d.getMetadata().getName() + " replicas=" + d.getSpec().getReplicas();
  }
}
