package io.modelrollout.operator.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.modelrollout.operator.api.TrafficProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The router contract on Istio, plus the VirtualService's own shape. */
class IstioRouterIT extends TrafficRouterContract {
  @Override
  protected TrafficProvider provider() {
    return TrafficProvider.Istio;
  }

  GenericKubernetesResource vs() {
    return client
        .genericKubernetesResources("networking.istio.io/v1", "VirtualService")
        .inNamespace(ns)
        .withName("fraud")
        .get();
  }

  @SuppressWarnings("unchecked")
  List<Map<String, Object>> http() {
    return (List<Map<String, Object>>)
        ((Map<String, Object>) vs().getAdditionalProperties().get("spec")).get("http");
  }

  @Override
  @SuppressWarnings("unchecked")
  protected String mirrorRule() {
    return http().stream()
        .filter(r -> "modelrollout-mirror".equals(r.get("name")))
        .map(
            r -> {
              Map<String, Object> m = ((List<Map<String, Object>>) r.get("match")).get(0);
              Map<String, Object> h = (Map<String, Object>) m.get("headers");
              var header = h.entrySet().iterator().next();
              Map<String, Object> dest =
                  (Map<String, Object>)
                      ((List<Map<String, Object>>) r.get("route")).get(0).get("destination");
              return ((Map<String, Object>) m.get("method")).get("exact")
                  + " "
                  + ((Map<String, Object>) m.get("uri")).get("prefix")
                  + " "
                  + header.getKey()
                  + "="
                  + ((Map<String, Object>) header.getValue()).get("exact")
                  + " -> "
                  + dest.get("host")
                  + ", mirror "
                  + ((Number) ((Map<String, Object>) r.get("mirrorPercentage")).get("value"))
                      .intValue()
                  + "% to "
                  + ((Map<String, Object>) r.get("mirror")).get("host");
            })
        .findFirst()
        .orElse(null);
  }

  @Override
  @SuppressWarnings("unchecked")
  protected void addForeignAnnotationAndRule() {
    client
        .genericKubernetesResources("networking.istio.io/v1", "VirtualService")
        .inNamespace(ns)
        .withName("fraud")
        .edit(
            v -> {
              v.getMetadata().setAnnotations(Map.of("example.com/owner", "sre"));
              Map<String, Object> spec =
                  (Map<String, Object>) v.getAdditionalProperties().get("spec");
              List<Object> http = new ArrayList<>((List<Object>) spec.get("http"));
              Map<String, Object> admin = new LinkedHashMap<>();
              admin.put("match", List.of(Map.of("uri", Map.of("prefix", "/admin"))));
              admin.put("route", List.of(Map.of("destination", Map.of("host", "fraud-stable"))));
              http.add(0, admin);
              spec.put("http", http);
              return v;
            });
  }

  @Override
  protected boolean foreignAnnotationAndRulePresent() {
    return "sre".equals(vs().getMetadata().getAnnotations().get("example.com/owner"))
        && http().stream()
            .anyMatch(r -> r.get("name") == null && r.get("match").toString().contains("/admin"));
  }

  @Override
  protected void createForeignRoute(boolean adoptable) {
    GenericKubernetesResource vs = new GenericKubernetesResource();
    vs.setApiVersion("networking.istio.io/v1");
    vs.setKind("VirtualService");
    vs.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName("fraud")
            .withNamespace(ns)
            .withAnnotations(
                adoptable ? Map.of(RouteObservation.ADOPT_ANNOTATION, "true") : Map.of())
            .build());
    vs.setAdditionalProperty(
        "spec",
        Map.of(
            "hosts",
            List.of("team.example.com"),
            "http",
            List.of(Map.of("route", List.of(Map.of("destination", Map.of("host", "team-svc")))))));
    client.resource(vs).create();
  }

  @Override
  @SuppressWarnings("unchecked")
  protected int primaryBackends() {
    return ((List<Object>)
            http().stream()
                .filter(r -> "modelrollout-primary".equals(r.get("name")))
                .findFirst()
                .orElseThrow()
                .get("route"))
        .size();
  }

  @Override
  protected boolean canaryHeaderRulePresent() {
    return http().stream()
        .anyMatch(
            r ->
                "modelrollout-canary-match".equals(r.get("name"))
                    && r.get("match").toString().contains("x-model-variant")
                    && r.get("route").toString().contains("fraud-canary"));
  }

  @Override
  protected boolean routeExists() {
    return vs() != null;
  }

  @Test
  void theVirtualServiceRoutesTheEntryHostWithWeightsAndMirror() {
    apply(intent(25, 10, List.of(), 1));
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) vs().getAdditionalProperties().get("spec");
    assertThat(spec.get("hosts")).isEqualTo(List.of("fraud"));
    Map<String, Object> primary = http().get(http().size() - 1);
    assertThat(primary.get("name")).isEqualTo("modelrollout-primary");
    assertThat(primary.get("route").toString())
        .contains("host=fraud-stable")
        .contains("weight=75")
        .contains("host=fraud-canary")
        .contains("weight=25");
    assertThat(primary.get("mirror").toString()).contains("host=fraud-canary");
    assertThat(primary.get("mirrorPercentage")).isEqualTo(Map.of("value", 10));
  }
}
