package io.modelrollout.operator.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.modelrollout.operator.api.TrafficProvider;
import org.junit.jupiter.api.Test;

/** The router contract on Gateway API, plus the HTTPRoute's own shape. */
class GatewayApiRouterIT extends TrafficRouterContract {
  @Override
  protected TrafficProvider provider() {
    return TrafficProvider.GatewayAPI;
  }

  HTTPRoute route() {
    return client.resources(HTTPRoute.class).inNamespace(ns).withName("fraud").get();
  }

  @Override
  protected String mirrorRule() {
    HTTPRoute r = route();
    return r.getSpec().getRules().stream()
        .filter(x -> "modelrollout-mirror".equals(x.getName()))
        .map(
            x -> {
              var m = x.getMatches().get(0);
              var f = x.getFilters().get(0).getRequestMirror();
              return m.getMethod()
                  + " "
                  + m.getPath().getValue()
                  + " "
                  + m.getHeaders().get(0).getName()
                  + "="
                  + m.getHeaders().get(0).getValue()
                  + " -> "
                  + x.getBackendRefs().get(0).getName()
                  + ", mirror "
                  + f.getPercent()
                  + "% to "
                  + f.getBackendRef().getName();
            })
        .findFirst()
        .orElse(null);
  }

  @Override
  protected void addForeignAnnotationAndRule() {
    client
        .resources(HTTPRoute.class)
        .inNamespace(ns)
        .withName("fraud")
        .edit(
            r ->
                new HTTPRouteBuilder(r)
                    .editMetadata()
                    .addToAnnotations("example.com/owner", "sre")
                    .endMetadata()
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
  }

  @Override
  protected boolean foreignAnnotationAndRulePresent() {
    HTTPRoute r = route();
    return "sre".equals(r.getMetadata().getAnnotations().get("example.com/owner"))
        && r.getSpec().getRules().stream()
            .anyMatch(
                x ->
                    x.getName() == null
                        && x.getMatches().stream()
                            .anyMatch(m -> "/admin".equals(m.getPath().getValue())));
  }

  @Override
  protected void createForeignRoute(boolean adoptable) {
    var b =
        new HTTPRouteBuilder()
            .withNewMetadata()
            .withName("fraud")
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
    client.resource(b.build()).create();
  }

  @Override
  protected int primaryBackends() {
    return primary().getBackendRefs().size();
  }

  private HTTPRouteRule primary() {
    return route().getSpec().getRules().stream()
        .filter(x -> "modelrollout-primary".equals(x.getName()))
        .findFirst()
        .orElseThrow();
  }

  @Override
  protected boolean canaryHeaderRulePresent() {
    return route().getSpec().getRules().stream()
        .anyMatch(
            x ->
                "modelrollout-canary-match".equals(x.getName())
                    && x.getMatches().get(0).getHeaders().get(0).getName().equals("x-model-variant")
                    && x.getBackendRefs().get(0).getName().equals("fraud-canary"));
  }

  @Override
  protected boolean routeExists() {
    return route() != null;
  }

  @Test
  void theRouteAttachesToTheSpecsParentsAndIsOwned() {
    apply(intent(25, 10, java.util.List.of(), 1));
    HTTPRoute r = route();
    assertThat(r.getSpec().getParentRefs())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("public-gateway");
              assertThat(p.getNamespace()).isEqualTo("infra");
            });
    assertThat(r.getSpec().getHostnames()).containsExactly("fraud.example.com");
    assertThat(r.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(md.getMetadata().getUid()));
    HTTPRouteRule p = primary();
    assertThat(p.getBackendRefs())
        .extracting(b -> b.getName() + ":" + b.getPort() + ":" + b.getWeight())
        .containsExactly("fraud-stable:80:75", "fraud-canary:80:25");
    assertThat(p.getFilters())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.getType()).isEqualTo("RequestMirror");
              assertThat(f.getRequestMirror().getBackendRef().getName()).isEqualTo("fraud-canary");
              assertThat(f.getRequestMirror().getPercent()).isEqualTo(10);
            });
  }

  @Test
  void aCookieMatchIsAnAnchoredRegexOnTheCookieHeader() {
    apply(
        intent(
            0,
            0,
            java.util.List.of(
                new io.modelrollout.operator.rollout.RouteMatchSpec("variant", "b.2", true)),
            1));
    var header =
        route().getSpec().getRules().stream()
            .filter(x -> "modelrollout-canary-match".equals(x.getName()))
            .findFirst()
            .orElseThrow()
            .getMatches()
            .get(0)
            .getHeaders()
            .get(0);
    assertThat(header.getType()).isEqualTo("RegularExpression");
    assertThat(header.getName()).isEqualTo("Cookie");
    java.util.regex.Pattern re = java.util.regex.Pattern.compile(header.getValue());
    assertThat(re.matcher("a=1; variant=b.2; c=3").matches()).isTrue();
    assertThat(re.matcher("variant=b.2").matches()).isTrue();
    assertThat(re.matcher("variant=bx2").matches()).isFalse();
    assertThat(re.matcher("xvariant=b.2").matches()).isFalse();
  }
}
