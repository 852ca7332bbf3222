package io.modelrollout.operator.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.TrafficProvider;
import io.modelrollout.operator.api.TrafficSpec;
import io.modelrollout.operator.rollout.RouteMatchSpec;
import io.modelrollout.operator.rollout.Split;
import io.modelrollout.operator.routing.gatewayapi.HttpRoutes;
import io.modelrollout.operator.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Route builders without an API server: safety clamps and the defaults a real Gateway API CRD adds.
 */
class RouteBuildersTest {
  static RouteIntent intent(int w, int mirror, int stableReady, int canaryReady) {
    return new RouteIntent(
        "m-stable",
        "m-canary",
        80,
        new Split(w, mirror, List.of(new RouteMatchSpec("x", "y", false))),
        stableReady,
        canaryReady);
  }

  @Test
  void noTrafficGoesToASideWithoutReadyPods() {
    RouteIntent noCanary = intent(30, 20, 3, 0).safe();
    assertThat(noCanary.canaryWeight()).isZero();
    assertThat(noCanary.mirrorPercent()).isZero();
    assertThat(noCanary.canaryMatches()).isEmpty();
    assertThat(intent(30, 20, 0, 2).safe().canaryWeight())
        .as("stable has nothing ready")
        .isEqualTo(100);
    assertThat(intent(30, 20, 3, 2).safe()).isEqualTo(intent(30, 20, 3, 2));
  }

  @Test
  void theApiServersDefaultsDoNotLookLikeADifference() {
    ModelDeployment md = Fixtures.model("ns", "m", "1", 1);
    md.getMetadata().setUid("u");
    md.getSpec().traffic = new TrafficSpec();
    md.getSpec().traffic.provider = TrafficProvider.GatewayAPI;
    md.getSpec().traffic.gatewayAPI = new TrafficSpec.GatewayApi();
    TrafficSpec.ParentRef p = new TrafficSpec.ParentRef();
    p.name = "gw";
    md.getSpec().traffic.gatewayAPI.parentRefs = List.of(p);
    RouteIntent i = intent(30, 0, 2, 1);
    HTTPRoute desired = HttpRoutes.desired(md, i, null);
    // what a real Gateway API CRD returns: group/kind/weight defaults and a default path match
    HTTPRoute stored =
        new HTTPRouteBuilder(Serialization.clone(desired))
            .editSpec()
            .editFirstParentRef()
            .withGroup("gateway.networking.k8s.io")
            .withKind("Gateway")
            .endParentRef()
            .editLastRule()
            .addNewMatch()
            .withNewPath()
            .withType("PathPrefix")
            .withValue("/")
            .endPath()
            .endMatch()
            .endRule()
            .endSpec()
            .build();
    stored
        .getSpec()
        .getRules()
        .forEach(
            r ->
                r.getBackendRefs()
                    .forEach(
                        b -> {
                          b.setGroup("");
                          b.setKind("Service");
                        }));
    assertThat(HttpRoutes.sameManaged(stored, HttpRoutes.desired(md, i, stored))).isTrue();
    assertThat(HttpRoutes.sameManaged(stored, HttpRoutes.desired(md, intent(40, 0, 2, 1), stored)))
        .isFalse();
    assertThat(HttpRoutes.read(stored, i).canaryWeight()).isEqualTo(30);
  }
}
