package io.modelrollout.operator.routing.gatewayapi;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRefBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderMatchBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilterBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatchBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRuleBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReferenceBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.TrafficSpec;
import io.modelrollout.operator.rollout.RequestMatchSpec;
import io.modelrollout.operator.rollout.RouteMatchSpec;
import io.modelrollout.operator.routing.RouteIntent;
import io.modelrollout.operator.routing.RouteMetadata;
import io.modelrollout.operator.routing.RouteState;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The HTTPRoute {@code <name>} of a ModelDeployment (pure). The operator manages its parentRefs,
 * hostnames and two named rules (a header-match rule to the canary and the weighted primary rule
 * with an optional RequestMirror filter); rules and metadata others add are kept.
 */
public final class HttpRoutes {
  static final String PRIMARY = "modelrollout-primary";
  static final String CANARY_MATCH = "modelrollout-canary-match";
  static final String MIRROR = "modelrollout-mirror";
  private static final String GROUP = "gateway.networking.k8s.io";

  private HttpRoutes() {}

  /** {@code current} (or a new route) with the managed parts set from the spec and intent. */
  public static HTTPRoute desired(ModelDeployment md, RouteIntent intent, HTTPRoute current) {
    HTTPRoute base =
        current == null
            ? new HTTPRouteBuilder()
                .withMetadata(new ObjectMetaBuilder().build())
                .withNewSpec()
                .endSpec()
                .build()
            : Serialization.clone(current);
    RouteMetadata.own(base.getMetadata(), md);

    TrafficSpec.GatewayApi gw = md.getSpec().traffic.gatewayAPI;
    base.getSpec().setParentRefs(gw.parentRefs.stream().map(HttpRoutes::parentRef).toList());
    base.getSpec()
        .setHostnames(
            gw.hostnames == null || gw.hostnames.isEmpty() ? null : List.copyOf(gw.hostnames));
    List<HTTPRouteRule> rules = new ArrayList<>();
    for (HTTPRouteRule r :
        base.getSpec().getRules() == null ? List.<HTTPRouteRule>of() : base.getSpec().getRules()) {
      if (!ours(r)) {
        rules.add(r);
      }
    }
    if (!intent.canaryMatches().isEmpty()) {
      rules.add(
          new HTTPRouteRuleBuilder()
              .withName(CANARY_MATCH)
              .withMatches(intent.canaryMatches().stream().map(HttpRoutes::match).toList())
              .withBackendRefs(backend(intent.canaryService(), intent.port(), 1))
              .build());
    }
    boolean selective = intent.mirrorPercent() > 0 && !intent.mirrorMatches().isEmpty();
    if (selective) {
      // only matching requests are mirrored: their own rule, same backends, with the filter
      HTTPRouteRule mirror = primary(intent);
      mirror.setName(MIRROR);
      mirror.setMatches(intent.mirrorMatches().stream().map(HttpRoutes::requestMatch).toList());
      rules.add(mirror);
      rules.add(primary(intent.with(withoutMirror(intent.split()))));
    } else {
      rules.add(primary(intent));
    }
    base.getSpec().setRules(rules);
    return base;
  }

  /** Whether the parts the operator manages are already as desired (defaults normalized). */
  public static boolean sameManaged(HTTPRoute current, HTTPRoute desired) {
    return Objects.equals(projection(current), projection(desired));
  }

  /** What the route carries: the canary's share of the primary rule and the mirror percent. */
  public static RouteState read(HTTPRoute route, RouteIntent intent) {
    if (route == null || route.getSpec() == null || route.getSpec().getRules() == null) {
      return new RouteState(0, 0, false, false, "no HTTPRoute");
    }
    HTTPRouteRule primary =
        route.getSpec().getRules().stream()
            .filter(r -> PRIMARY.equals(r.getName()))
            .findFirst()
            .orElse(null);
    if (primary == null) {
      return new RouteState(0, 0, false, false, "the HTTPRoute has no rule " + PRIMARY);
    }
    int stable = 0;
    int canary = 0;
    for (HTTPBackendRef b :
        primary.getBackendRefs() == null ? List.<HTTPBackendRef>of() : primary.getBackendRefs()) {
      int w = b.getWeight() == null ? 1 : b.getWeight();
      if (intent.stableService().equals(b.getName())) stable += w;
      if (intent.canaryService().equals(b.getName())) canary += w;
    }
    int share = stable + canary == 0 ? 0 : Math.round(100f * canary / (stable + canary));
    int mirror = 0;
    for (HTTPRouteRule rule : route.getSpec().getRules()) {
      if (!PRIMARY.equals(rule.getName()) && !MIRROR.equals(rule.getName())) {
        continue;
      }
      for (HTTPRouteFilter f :
          rule.getFilters() == null ? List.<HTTPRouteFilter>of() : rule.getFilters()) {
        if ("RequestMirror".equals(f.getType()) && f.getRequestMirror() != null) {
          mirror =
              f.getRequestMirror().getPercent() == null ? 100 : f.getRequestMirror().getPercent();
        }
      }
    }
    boolean hasMatch =
        route.getSpec().getRules().stream().anyMatch(r -> CANARY_MATCH.equals(r.getName()));
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
        "HTTPRoute "
            + route.getMetadata().getName()
            + ": canary "
            + share
            + "%, mirror "
            + mirror
            + "%");
  }

  /** A rule is the operator's only by its name; a user's rule to our Services stays theirs. */
  static boolean ours(HTTPRouteRule r) {
    return r.getName() != null && r.getName().startsWith("modelrollout-");
  }

  private static HTTPRouteRule primary(RouteIntent intent) {
    List<HTTPBackendRef> refs = new ArrayList<>();
    if (intent.canaryWeight() < 100)
      refs.add(backend(intent.stableService(), intent.port(), 100 - intent.canaryWeight()));
    if (intent.canaryWeight() > 0)
      refs.add(backend(intent.canaryService(), intent.port(), intent.canaryWeight()));
    HTTPRouteRuleBuilder b = new HTTPRouteRuleBuilder().withName(PRIMARY).withBackendRefs(refs);
    if (intent.mirrorPercent() > 0) {
      b.withFilters(
          new HTTPRouteFilterBuilder()
              .withType("RequestMirror")
              .withNewRequestMirror()
              .withNewBackendRef()
              .withName(intent.canaryService())
              .withPort(intent.port())
              .endBackendRef()
              .withPercent(intent.mirrorPercent())
              .endRequestMirror()
              .build());
    }
    return b.build();
  }

  private static io.modelrollout.operator.rollout.Split withoutMirror(
      io.modelrollout.operator.rollout.Split s) {
    return new io.modelrollout.operator.rollout.Split(s.canaryWeight(), 0, s.matches());
  }

  private static HTTPRouteMatch requestMatch(RequestMatchSpec m) {
    HTTPRouteMatchBuilder b = new HTTPRouteMatchBuilder();
    if (m.method() != null) {
      b.withMethod(m.method());
    }
    if (m.pathPrefix() != null) {
      b.withNewPath().withType("PathPrefix").withValue(m.pathPrefix()).endPath();
    }
    if (!m.headers().isEmpty()) {
      b.withHeaders(
          m.headers().stream()
              .map(
                  h ->
                      new HTTPHeaderMatchBuilder()
                          .withType("Exact")
                          .withName(h.name())
                          .withValue(h.value())
                          .build())
              .toList());
    }
    return b.build();
  }

  private static HTTPBackendRef backend(String service, int port, int weight) {
    return new HTTPBackendRefBuilder().withName(service).withPort(port).withWeight(weight).build();
  }

  private static HTTPRouteMatch match(RouteMatchSpec m) {
    var header =
        m.cookie()
            ? new HTTPHeaderMatchBuilder()
                .withType("RegularExpression")
                .withName("Cookie")
                .withValue(m.cookieRegex())
                .build()
            : new HTTPHeaderMatchBuilder()
                .withType("Exact")
                .withName(m.name())
                .withValue(m.value())
                .build();
    return new HTTPRouteMatchBuilder().withHeaders(header).build();
  }

  private static ParentReference parentRef(TrafficSpec.ParentRef p) {
    return new ParentReferenceBuilder()
        .withGroup(p.group)
        .withKind(p.kind)
        .withNamespace(p.namespace)
        .withName(p.name)
        .withSectionName(p.sectionName)
        .withPort(p.port)
        .build();
  }

  /** The managed parts, with the API server's defaults filled in, as comparable values. */
  private static List<Object> projection(HTTPRoute r) {
    List<Object> out = new ArrayList<>();
    for (ParentReference p :
        r.getSpec().getParentRefs() == null
            ? List.<ParentReference>of()
            : r.getSpec().getParentRefs()) {
      out.add(
          List.of(
              "parent",
              or(p.getGroup(), GROUP),
              or(p.getKind(), "Gateway"),
              or(p.getNamespace(), ""),
              p.getName(),
              or(p.getSectionName(), ""),
              p.getPort() == null ? -1 : p.getPort()));
    }
    out.add(
        List.of(
            "hostnames",
            r.getSpec().getHostnames() == null ? List.of() : r.getSpec().getHostnames()));
    for (HTTPRouteRule rule :
        r.getSpec().getRules() == null ? List.<HTTPRouteRule>of() : r.getSpec().getRules()) {
      if (!ours(rule)) {
        out.add(List.of("foreign", Serialization.asJson(rule)));
        continue;
      }
      List<Object> refs = new ArrayList<>();
      for (HTTPBackendRef b :
          rule.getBackendRefs() == null ? List.<HTTPBackendRef>of() : rule.getBackendRefs()) {
        refs.add(
            List.of(
                or(b.getGroup(), ""),
                or(b.getKind(), "Service"),
                b.getName(),
                b.getPort() == null ? -1 : b.getPort(),
                b.getWeight() == null ? 1 : b.getWeight()));
      }
      List<Object> filters = new ArrayList<>();
      for (HTTPRouteFilter f :
          rule.getFilters() == null ? List.<HTTPRouteFilter>of() : rule.getFilters()) {
        if (f.getRequestMirror() != null) {
          filters.add(
              List.of(
                  f.getType(),
                  f.getRequestMirror().getBackendRef().getName(),
                  f.getRequestMirror().getPercent() == null
                      ? 100
                      : f.getRequestMirror().getPercent()));
        } else {
          filters.add(Serialization.asJson(f));
        }
      }
      List<Object> matches = new ArrayList<>();
      for (HTTPRouteMatch m :
          rule.getMatches() == null ? List.<HTTPRouteMatch>of() : rule.getMatches()) {
        boolean noHeaders = m.getHeaders() == null || m.getHeaders().isEmpty();
        boolean defaultPath =
            m.getPath() == null
                || ("PathPrefix".equals(or(m.getPath().getType(), "PathPrefix"))
                    && "/".equals(or(m.getPath().getValue(), "/")));
        if (noHeaders && defaultPath && m.getMethod() == null) {
          continue; // the default match the API server adds
        }
        matches.add(
            List.of(
                or(m.getMethod(), ""),
                defaultPath
                    ? "/"
                    : or(m.getPath().getType(), "PathPrefix") + ":" + m.getPath().getValue(),
                noHeaders
                    ? List.of()
                    : m.getHeaders().stream()
                        .map(h -> List.of(or(h.getType(), "Exact"), h.getName(), h.getValue()))
                        .toList()));
      }
      out.add(List.of("rule", or(rule.getName(), ""), refs, filters, matches));
    }
    return out;
  }

  private static String or(String v, String fallback) {
    return v == null ? fallback : v;
  }
}
