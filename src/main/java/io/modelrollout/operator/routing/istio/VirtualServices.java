package io.modelrollout.operator.routing.istio;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.TrafficSpec;
import io.modelrollout.operator.rollout.RequestMatchSpec;
import io.modelrollout.operator.rollout.RouteMatchSpec;
import io.modelrollout.operator.routing.RouteIntent;
import io.modelrollout.operator.routing.RouteMetadata;
import io.modelrollout.operator.routing.RouteState;
import io.modelrollout.operator.support.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Istio VirtualService {@code <name>} (pure, as a generic resource): hosts, gateways and two
 * named http routes (header matches to the canary, then the weighted primary route with mirror);
 * http routes and metadata others add are kept, ahead of the operator's.
 */
public final class VirtualServices {
  public static final String API_VERSION = "networking.istio.io/v1";
  public static final String KIND = "VirtualService";
  static final String PRIMARY = "modelrollout-primary";
  static final String CANARY_MATCH = "modelrollout-canary-match";
  static final String MIRROR = "modelrollout-mirror";

  private VirtualServices() {}

  @SuppressWarnings("unchecked")
  public static GenericKubernetesResource desired(
      ModelDeployment md, RouteIntent intent, GenericKubernetesResource current) {
    GenericKubernetesResource base;
    if (current == null) {
      base = new GenericKubernetesResource();
      base.setApiVersion(API_VERSION);
      base.setKind(KIND);
      base.setMetadata(new ObjectMetaBuilder().build());
    } else {
      base = Serialization.clone(current);
    }
    RouteMetadata.own(base.getMetadata(), md);

    Map<String, Object> spec = new LinkedHashMap<>();
    Object existing = base.getAdditionalProperties().get("spec");
    if (existing instanceof Map<?, ?> m) {
      spec.putAll((Map<String, Object>) m);
    }
    TrafficSpec.Istio istio = md.getSpec().traffic == null ? null : md.getSpec().traffic.istio;
    spec.put(
        "hosts",
        istio != null && istio.hosts != null && !istio.hosts.isEmpty()
            ? List.copyOf(istio.hosts)
            : List.of(md.getMetadata().getName()));
    if (istio != null && istio.gateways != null && !istio.gateways.isEmpty()) {
      spec.put("gateways", List.copyOf(istio.gateways));
    } else {
      spec.remove("gateways");
    }
    List<Object> http = new ArrayList<>();
    for (Map<String, Object> r : routes(spec)) {
      if (!ours(r)) {
        http.add(r);
      }
    }
    if (!intent.canaryMatches().isEmpty()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("name", CANARY_MATCH);
      r.put("match", intent.canaryMatches().stream().map(VirtualServices::match).toList());
      r.put("route", List.of(destination(intent.canaryService(), intent.port(), 100)));
      http.add(r);
    }
    if (intent.mirrorPercent() > 0 && !intent.mirrorMatches().isEmpty()) {
      // only matching requests are mirrored: their own route first, same destinations
      Map<String, Object> mirror = primary(intent);
      mirror.put("name", MIRROR);
      mirror.put(
          "match", intent.mirrorMatches().stream().map(VirtualServices::requestMatch).toList());
      Map<String, Object> ordered = new LinkedHashMap<>();
      ordered.put("name", MIRROR);
      ordered.put("match", mirror.get("match"));
      mirror.forEach(ordered::putIfAbsent);
      http.add(ordered);
      Map<String, Object> rest = primary(intent);
      rest.remove("mirror");
      rest.remove("mirrorPercentage");
      http.add(rest);
    } else {
      http.add(primary(intent));
    }
    spec.put("http", http);
    base.setAdditionalProperty("spec", spec);
    return base;
  }

  public static boolean sameManaged(
      GenericKubernetesResource current, GenericKubernetesResource desired) {
    // key order differs between what is sent and what the API server returns
    return Json.same(spec(current), spec(desired));
  }

  @SuppressWarnings("unchecked")
  public static RouteState read(GenericKubernetesResource vs, RouteIntent intent) {
    if (vs == null) {
      return new RouteState(0, 0, false, false, "no VirtualService");
    }
    Map<String, Object> primary =
        routes(spec(vs)).stream()
            .filter(r -> PRIMARY.equals(r.get("name")))
            .findFirst()
            .orElse(null);
    if (primary == null) {
      return new RouteState(0, 0, false, false, "the VirtualService has no http route " + PRIMARY);
    }
    int stable = 0;
    int canary = 0;
    for (Object o : (List<Object>) primary.getOrDefault("route", List.of())) {
      Map<String, Object> d = (Map<String, Object>) o;
      String host = String.valueOf(((Map<String, Object>) d.get("destination")).get("host"));
      int w = d.get("weight") == null ? 100 : ((Number) d.get("weight")).intValue();
      if (host.equals(intent.stableService())) stable += w;
      if (host.equals(intent.canaryService())) canary += w;
    }
    int share = stable + canary == 0 ? 0 : Math.round(100f * canary / (stable + canary));
    int mirror = 0;
    for (Map<String, Object> r : routes(spec(vs))) {
      if ((PRIMARY.equals(r.get("name")) || MIRROR.equals(r.get("name")))
          && r.get("mirror") != null) {
        Object pct = r.get("mirrorPercentage");
        mirror =
            pct instanceof Map<?, ?> m && m.get("value") instanceof Number n
                ? (int) Math.round(n.doubleValue())
                : 100;
      }
    }
    boolean hasMatch = routes(spec(vs)).stream().anyMatch(r -> CANARY_MATCH.equals(r.get("name")));
    RouteIntent safe = intent.safe();
    boolean verified =
        share == safe.canaryWeight()
            && mirror == safe.mirrorPercent()
            && hasMatch == !safe.canaryMatches().isEmpty();
    return new RouteState(
        share,
        mirror,
        hasMatch,
        verified,
        "VirtualService "
            + vs.getMetadata().getName()
            + ": canary "
            + share
            + "%, mirror "
            + mirror
            + "%");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource r) {
    Object s = r.getAdditionalProperties().get("spec");
    return s instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> routes(Map<String, Object> spec) {
    Object http = spec.get("http");
    if (!(http instanceof List<?> l)) {
      return List.of();
    }
    return l.stream().filter(Map.class::isInstance).map(o -> (Map<String, Object>) o).toList();
  }

  /** A route is the operator's only by its name; a user's rule to our Services stays theirs. */
  private static boolean ours(Map<String, Object> r) {
    return r.get("name") instanceof String n && n.startsWith("modelrollout-");
  }

  private static Map<String, Object> primary(RouteIntent intent) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("name", PRIMARY);
    List<Object> route = new ArrayList<>();
    if (intent.canaryWeight() < 100)
      route.add(destination(intent.stableService(), intent.port(), 100 - intent.canaryWeight()));
    if (intent.canaryWeight() > 0)
      route.add(destination(intent.canaryService(), intent.port(), intent.canaryWeight()));
    r.put("route", route);
    if (intent.mirrorPercent() > 0) {
      r.put("mirror", host(intent.canaryService(), intent.port()));
      r.put(
          "mirrorPercentage",
          Map.of("value", intent.mirrorPercent())); // a whole number, as the API server stores it
    }
    return r;
  }

  private static Map<String, Object> destination(String service, int port, int weight) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("destination", host(service, port));
    d.put("weight", weight);
    return d;
  }

  private static Map<String, Object> host(String service, int port) {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("host", service);
    h.put("port", Map.of("number", port));
    return h;
  }

  private static Map<String, Object> requestMatch(RequestMatchSpec m) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (m.method() != null) out.put("method", Map.of("exact", m.method()));
    if (m.pathPrefix() != null) out.put("uri", Map.of("prefix", m.pathPrefix()));
    if (!m.headers().isEmpty()) {
      Map<String, Object> headers = new LinkedHashMap<>();
      m.headers().forEach(h -> headers.put(h.name().toLowerCase(), Map.of("exact", h.value())));
      out.put("headers", headers);
    }
    return out;
  }

  private static Map<String, Object> match(RouteMatchSpec m) {
    Map<String, Object> cond =
        m.cookie()
            ? Map.of("cookie", Map.of("regex", m.cookieRegex()))
            : Map.of(m.name().toLowerCase(), Map.of("exact", m.value()));
    return Map.of("headers", cond);
  }
}
