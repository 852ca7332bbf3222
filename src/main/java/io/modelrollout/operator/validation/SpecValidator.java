package io.modelrollout.operator.validation;

import io.modelrollout.operator.analysis.QueryTemplate;
import io.modelrollout.operator.api.CanarySpec;
import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.Durations;
import io.modelrollout.operator.api.GateSpec;
import io.modelrollout.operator.api.ModelDeploymentSpec;
import io.modelrollout.operator.api.RolloutPolicySpec;
import io.modelrollout.operator.api.RolloutStrategy;
import io.modelrollout.operator.api.TrafficProvider;
import io.modelrollout.operator.rollout.Capacity;
import io.modelrollout.operator.rollout.RolloutPlan;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Checks what the CRD schema cannot see (pure): the policy exists and is coherent, the data plane
 * the spec names is installed, a Prometheus address is known. Returns messages, never throws.
 */
public final class SpecValidator {
  private SpecValidator() {}

  /**
   * What the validator needs to know about the world.
   *
   * @param policy the resolved policy (referenced or inline), or null
   * @param missingPolicy name of a referenced RolloutPolicy that does not exist, or null
   * @param installedProviders data planes whose route API the cluster serves
   * @param defaultPrometheus the operator's default Prometheus address, or null
   * @param routeConflict why the route under the ModelDeployment's name is left alone (someone
   *     else's object), or null
   */
  public record World(
      String namespace,
      RolloutPolicySpec policy,
      String missingPolicy,
      Set<TrafficProvider> installedProviders,
      String defaultPrometheus,
      String routeConflict) {}

  public static List<String> validate(ModelDeploymentSpec spec, World world) {
    List<String> problems = new ArrayList<>();
    if (spec.model == null || blank(spec.model.name) || blank(spec.model.version)) {
      problems.add("spec.model.name and spec.model.version are required");
    }
    if (spec.template == null
        || spec.template.getSpec() == null
        || spec.template.getSpec().getContainers() == null
        || spec.template.getSpec().getContainers().isEmpty()) {
      problems.add("spec.template.spec.containers needs at least one container");
    } else if ((spec.service == null || spec.service.targetPort == null)
        && firstPortMissing(spec)) {
      problems.add(
          "spec.service.targetPort is not set and the first container declares no port;"
              + " set one of them");
    }
    if (world.missingPolicy() != null) {
      problems.add(
          "RolloutPolicy '"
              + world.missingPolicy()
              + "' not found in namespace '"
              + world.namespace()
              + "'");
    }
    if (world.policy() != null) {
      policy(world.policy(), world.defaultPrometheus(), problems::add);
      if (spec.autoscaling == null) { // autoscaled: the canary comes on top of stable (Autoscaled)
        capacity(world.policy(), spec.replicasOrDefault(), problems::add);
      }
      ModeValidator.online(world.policy(), problems::add);
    }
    if (world.routeConflict() != null) {
      problems.add(world.routeConflict());
    }
    TrafficProvider provider =
        spec.traffic == null ? TrafficProvider.ReplicaRatio : spec.traffic.providerOrDefault();
    if (!world.installedProviders().contains(provider)) {
      problems.add(
          switch (provider) {
            case GatewayAPI ->
                "traffic.provider is GatewayAPI but the cluster does not serve"
                    + " gateway.networking.k8s.io/v1 HTTPRoute; install the Gateway API CRDs";
            case Istio ->
                "traffic.provider is Istio but the cluster does not serve networking.istio.io/v1"
                    + " VirtualService; install Istio";
            case ReplicaRatio -> "traffic.provider ReplicaRatio is not available";
          });
    }
    if (provider == TrafficProvider.ReplicaRatio
        && world.policy() != null
        && routesRequests(world.policy())) {
      problems.add(
          "the policy mirrors traffic or routes by header, which needs traffic.provider GatewayAPI"
              + " or Istio; ReplicaRatio can only split by ready pods");
    }
    if (spec.traffic != null
        && provider == TrafficProvider.GatewayAPI
        && (spec.traffic.gatewayAPI == null
            || spec.traffic.gatewayAPI.parentRefs == null
            || spec.traffic.gatewayAPI.parentRefs.isEmpty())) {
      problems.add("traffic.gatewayAPI.parentRefs is required when traffic.provider is GatewayAPI");
    }
    return problems;
  }

  /** Checks a policy: strategy settings, durations, gate references, Prometheus addresses. */
  public static void policy(
      RolloutPolicySpec p, String defaultPrometheus, Consumer<String> problems) {
    duration("progressDeadline", p.progressDeadline, problems);
    Set<String> gates = new HashSet<>();
    for (GateSpec g : p.gates == null ? List.<GateSpec>of() : p.gates) {
      if (!gates.add(g.name)) {
        problems.accept("gate name '" + g.name + "' is used twice");
      }
      duration("gate " + g.name + " interval", g.interval, problems);
      duration("gate " + g.name + " initialDelay", g.initialDelay, problems);
      boolean hasQuery = g.prometheus != null && !blank(g.prometheus.query);
      if (g.comparison != null) {
        comparison(g, hasQuery, problems);
      } else if (!hasQuery) {
        problems.accept("gate " + g.name + " needs prometheus.query");
      } else {
        QueryTemplate.problems(g.prometheus.query)
            .forEach(m -> problems.accept("gate " + g.name + " query: " + m));
      }
      if ((hasQuery || g.comparison != null)
          && (g.prometheus == null || blank(g.prometheus.address))
          && blank(defaultPrometheus)) {
        problems.accept(
            "gate "
                + g.name
                + " has no prometheus.address and the operator has no default address"
                + " (set MRO_PROMETHEUS_ADDRESS)");
      }
      if (g.min != null && g.max != null && g.max < g.min) {
        problems.accept("gate " + g.name + ": max must be greater than or equal to min");
      }
    }
    if (p.strategy == RolloutStrategy.Canary) {
      if (p.canary == null || p.canary.steps == null || p.canary.steps.isEmpty()) {
        problems.accept("a Canary policy needs canary.steps with at least one step");
      } else {
        duration("canary.scaleDownDelay", p.canary.scaleDownDelay, problems);
        for (CanaryStep s : p.canary.steps) {
          if (s.pause != null) duration("pause.duration", s.pause.duration, problems);
          if (s.analysis != null) gateRefs(s.analysis.gates, gates, problems);
        }
      }
    } else if (p.strategy == RolloutStrategy.Shadow) {
      ShadowChecks.shadow(p, gates, problems);
    } else if (p.strategy == RolloutStrategy.ABTest) {
      ShadowChecks.abTest(p, gates, defaultPrometheus, problems);
    } else if (p.blueGreen != null) {
      duration("blueGreen.autoPromotionAfter", p.blueGreen.autoPromotionAfter, problems);
      duration("blueGreen.scaleDownDelay", p.blueGreen.scaleDownDelay, problems);
      gateRefs(p.blueGreen.prePromotionGates, gates, problems);
      gateRefs(p.blueGreen.postPromotionGates, gates, problems);
    }
  }

  /**
   * Rejects a weight the pods can never carry: with replicas 1 and maxSurge 0, stable and canary
   * cannot each have a pod, so any split would silently become 0% or 100%.
   */
  static void capacity(RolloutPolicySpec p, int replicas, Consumer<String> problems) {
    if (p.strategy == RolloutStrategy.Shadow) {
      ShadowChecks.capacity(p, problems);
    }
    CanarySpec steps = ShadowChecks.steps(p);
    if (steps == null || steps.steps == null) {
      return;
    }
    RolloutPlan plan;
    try {
      plan = RolloutPlan.of(p);
    } catch (IllegalArgumentException e) {
      return; // a bad duration, reported on its own
    }
    if (plan.surge() == 0 && plan.unavailable() == 0) {
      problems.accept(
          "canary.maxSurge and canary.maxUnavailable cannot both be 0: the canary needs either a"
              + " pod above spec.replicas or a stable pod it may take the place of");
      return;
    }
    Capacity c = plan.capacity(replicas);
    for (CanaryStep s : steps.steps) {
      if (s.setWeight != null && !c.feasible(s.setWeight)) {
        problems.accept(
            String.format(
                "replicas %d with canary.maxSurge %d and maxUnavailable %d cannot run step"
                    + " 'setWeight %d': the stable and the canary revision each need a ready pod"
                    + " to split traffic (%d pods), and only %d may run; set canary.maxSurge to"
                    + " %d or more, or replicas to %d or more",
                replicas,
                plan.surge(),
                plan.unavailable(),
                s.setWeight,
                c.minReady(s.setWeight) + c.minReady(100 - s.setWeight),
                replicas + plan.surge(),
                plan.surge() + 1,
                replicas + 1));
        return;
      }
    }
  }

  private static boolean routesRequests(RolloutPolicySpec p) {
    if (p.strategy == RolloutStrategy.Shadow) {
      return true; // mirroring
    }
    if (p.strategy == RolloutStrategy.ABTest) {
      return p.abTest != null && p.abTest.match != null && !p.abTest.match.isEmpty();
    }
    CanarySpec c = ShadowChecks.steps(p);
    return c != null
        && c.steps != null
        && c.steps.stream().anyMatch(s -> s.setMirror != null || s.setHeaderRoute != null);
  }

  private static void comparison(GateSpec g, boolean hasQuery, Consumer<String> problems) {
    if (hasQuery) {
      problems.accept("gate " + g.name + " sets both prometheus.query and comparison; keep one");
    }
    if (blank(g.comparison.labels)) {
      problems.accept("gate " + g.name + " comparison needs labels");
    } else {
      QueryTemplate.problems(g.comparison.labels)
          .forEach(m -> problems.accept("gate " + g.name + " comparison.labels: " + m));
    }
    if ((g.comparison.histogram == null) == (g.comparison.classes == null)) {
      problems.accept("gate " + g.name + " comparison sets exactly one of histogram or classes");
    }
    if (g.comparison.maxPSI == null
        && g.comparison.maxKS == null
        && g.comparison.minPValue == null) {
      problems.accept("gate " + g.name + " comparison needs maxPSI, maxKS or minPValue");
    }
    duration("gate " + g.name + " comparison.window", g.comparison.window, problems);
  }

  static void gateRefs(List<String> refs, Set<String> defined, Consumer<String> problems) {
    for (String r : refs == null ? List.<String>of() : refs) {
      if (!defined.contains(r)) {
        problems.accept("gate '" + r + "' is referenced but not defined in gates");
      }
    }
  }

  static void duration(String field, String value, Consumer<String> problems) {
    if (value == null) {
      return;
    }
    try {
      Durations.parse(value);
    } catch (IllegalArgumentException e) {
      problems.accept(field + ": " + e.getMessage());
    }
  }

  private static boolean firstPortMissing(ModelDeploymentSpec spec) {
    var c = spec.template.getSpec().getContainers().get(0);
    return c.getPorts() == null || c.getPorts().isEmpty();
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
