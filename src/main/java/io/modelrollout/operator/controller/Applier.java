package io.modelrollout.operator.controller;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.ModelDeploymentStatus.StaleRoute;
import io.modelrollout.operator.api.RolloutStrategy;
import io.modelrollout.operator.api.TrafficProvider;
import io.modelrollout.operator.api.Weights;
import io.modelrollout.operator.resources.Labels;
import io.modelrollout.operator.resources.ModelServices;
import io.modelrollout.operator.resources.RevisionDeployments;
import io.modelrollout.operator.rollout.RolloutDecision;
import io.modelrollout.operator.rollout.RolloutSnapshot;
import io.modelrollout.operator.rollout.Split;
import io.modelrollout.operator.routing.RouteIntent;
import io.modelrollout.operator.routing.RouteObservation;
import io.modelrollout.operator.routing.RouteState;
import io.modelrollout.operator.routing.TrafficRouter;
import io.modelrollout.operator.routing.TrafficRouters;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Makes the owned objects match a decision, in an order that never routes a request to a side
 * without ready pods and never removes capacity before traffic has left it:
 *
 * <ol>
 *   <li><b>grow</b>: create the spec's revision's Deployment, scale revisions up (adds pods, moves
 *       no traffic), as far as the pods asked for stay within replicas + maxSurge;
 *   <li><b>drain</b>: when the stable or canary Service is about to select another revision while
 *       the route sends it requests, the route first stops sending it any;
 *   <li><b>Services</b>: the stable and canary Services' selectors (behind a router, the entry
 *       Service's too: it selects stable);
 *   <li><b>route</b>: the decided split (with ReplicaRatio the route is the entry Service's
 *       selector);
 *   <li><b>shrink</b>: scale revisions down, delete the revisions no longer needed;
 *   <li><b>grow the rest</b>: growth that had to wait for the shrink (a pod that moves from stable
 *       to the canary without surge);
 *   <li><b>autoscaler</b>: the HorizontalPodAutoscaler of an autoscaled model on the stable
 *       revision (moved at promotion, once the new revision has the stable's size and all traffic);
 *   <li><b>stale routes</b>: remove the route of a data plane the spec no longer names; one that
 *       cannot be removed stays listed in status and is retried. Once none is left, per-revision
 *       Services no longer in use go (a route still in place may send to them).
 * </ol>
 *
 * Each write happens only when the live object differs.
 */
public class Applier {
  private final ObjectWriter writer = new ObjectWriter();

  /** What the route carries after the writes, and routes still to remove. */
  public record Result(String provider, RouteState route, List<StaleRoute> staleRoutes) {
    /** The weights for status: {@code asked} by the decision, and what the route carries. */
    public Weights weights(Split asked) {
      Weights w = new Weights(100 - asked.canaryWeight(), asked.canaryWeight());
      w.mirror = asked.mirrorPercent() > 0 ? asked.mirrorPercent() : null;
      w.provider = provider;
      w.verified = route.verified();
      w.actualCanary = route.canaryWeight();
      return w;
    }
  }

  public static TrafficProvider provider(ModelDeployment md) {
    return md.getSpec().traffic == null
        ? TrafficProvider.ReplicaRatio
        : md.getSpec().traffic.providerOrDefault();
  }

  public Result apply(
      Observed o, RolloutSnapshot s, RolloutDecision d, Context<ModelDeployment> ctx) {
    ModelDeployment md = o.md();
    Map<String, Deployment> live = o.deployments();
    String specRevision = s.desiredRevision();
    // 1. grow, within the pod limit
    int asked = live.values().stream().mapToInt(Applier::replicas).sum();
    Map<String, Integer> later = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, Integer> e : d.replicas().entrySet()) {
      Deployment current = live.get(e.getKey());
      int now = current == null ? 0 : replicas(current);
      int want = e.getValue();
      if (current == null || want > now) {
        int grant = Math.min(want - now, Math.max(0, d.podLimit() - asked));
        asked += grant;
        deployment(md, e.getKey(), now + grant, specRevision, current, ctx);
        if (now + grant < want) {
          later.put(e.getKey(), want);
        }
      } else if (want == now && e.getKey().equals(specRevision)) {
        deployment(md, e.getKey(), now, specRevision, current, ctx); // template drift
      }
    }
    TrafficProvider provider = o.provider();
    TrafficRouter router = TrafficRouters.forProvider(provider, ctx.getClient());
    RouteIntent intent = intent(md, s, d);
    ModelServices.Kept kept = ModelServices.kept(md, provider, strategy(s));
    List<Service> services = services(md, d, provider, d.split(), kept);
    // 2. drain
    RouteObservation route = o.route();
    if (provider != TrafficProvider.ReplicaRatio && route.object() != null) {
      Split drain = drain(o, s, services, router.read(route, intent));
      if (drain != null) {
        writer.run(
            "drain the route before a Service moves",
            () -> router.apply(md, intent.with(drain), o.route()));
        route = router.observe(md);
      }
    }
    // 3. Services
    for (Service svc : services) {
      if (provider != TrafficProvider.ReplicaRatio
          || !svc.getMetadata().getName().equals(md.getMetadata().getName())) {
        ensureService(md, svc, o, ctx);
      }
    }
    // 4. route
    RouteState state;
    if (provider == TrafficProvider.ReplicaRatio) {
      ensureService(md, services.get(0), o, ctx);
      state = router.read(route, intent);
    } else {
      RouteObservation observed = route;
      state =
          writer.run("apply the " + provider + " route", () -> router.apply(md, intent, observed));
    }
    // 5. shrink
    for (Map.Entry<String, Deployment> e : live.entrySet()) {
      Integer want = d.replicas().get(e.getKey());
      if (want == null) {
        writer.delete(e.getValue(), e.getKey(), ctx);
      } else if (want < replicas(e.getValue())) {
        writer.scale(e.getValue(), want, ctx);
      }
    }
    // 6. grow the rest
    later.forEach((rev, want) -> deployment(md, rev, want, specRevision, live.get(rev), ctx));
    // 6b. the autoscaler (issue 12): on the stable revision, which has its full size by now
    autoscaler(md, d, ctx);
    // 7. stale routes, then the per-revision Services no route can send to any more
    List<StaleRoute> left = removeStale(o, ctx);
    if (left.isEmpty()) {
      unused(o, kept, ctx);
    }
    return new Result(provider.name(), state, left);
  }

  private void autoscaler(ModelDeployment md, RolloutDecision d, Context<ModelDeployment> ctx) {
    var live = ctx.getSecondaryResource(HorizontalPodAutoscaler.class).orElse(null);
    var desired = AutoscalingState.desired(md, d);
    if (desired != null) {
      writer.ensure(desired, live, HorizontalPodAutoscaler.class, ctx);
    } else if (live != null) {
      writer.run(
          "delete the HorizontalPodAutoscaler", () -> ctx.getClient().resource(live).delete());
    }
  }

  private void deployment(
      ModelDeployment md,
      String revision,
      int replicas,
      String specRevision,
      Deployment current,
      Context<ModelDeployment> ctx) {
    if (revision.equals(specRevision)) {
      String recipe = recipe(md, revision + "/" + replicas);
      if (writer.unchanged(current, recipe)) {
        return;
      }
      Deployment desired = RevisionDeployments.desired(md, revision, replicas);
      if (current != null && !java.util.Objects.equals(current.getSpec().getReplicas(), replicas)) {
        current = null; // the replicas differ: apply without asking the matcher
      }
      writer.ensure(desired, recipe, current, Deployment.class, ctx);
    } else if (current != null) {
      writer.scale(current, replicas, ctx);
    }
  }

  /**
   * The split that takes traffic off a Service about to move, or null when none is needed (or
   * possible: the other side has no ready pods behind its Service as it is now).
   */
  private static Split drain(
      Observed o, RolloutSnapshot s, List<Service> desired, RouteState current) {
    String canary = Labels.canaryService(o.md());
    String stable = Labels.stableService(o.md());
    boolean canaryMoves = moves(o, desired, canary);
    boolean stableMoves = moves(o, desired, stable);
    if (canaryMoves && !stableMoves && current.canaryTakesTraffic() && readyBehind(o, s, stable)) {
      return Split.STABLE_ONLY;
    }
    if (stableMoves && !canaryMoves && current.canaryWeight() < 100 && readyBehind(o, s, canary)) {
      return new Split(100, 0, List.of());
    }
    return null;
  }

  /** Whether the live Service {@code name} selects a revision with ready pods. */
  private static boolean readyBehind(Observed o, RolloutSnapshot s, String name) {
    Service live = o.services().get(name);
    if (live == null || live.getSpec() == null || live.getSpec().getSelector() == null) {
      return false;
    }
    return s.readyOf(live.getSpec().getSelector().get(Labels.REVISION)) > 0;
  }

  private static boolean moves(Observed o, List<Service> desired, String name) {
    Service live = o.services().get(name);
    if (live == null || live.getSpec() == null) {
      return false;
    }
    return desired.stream()
        .filter(s -> s.getMetadata().getName().equals(name))
        .anyMatch(s -> !Objects.equals(s.getSpec().getSelector(), live.getSpec().getSelector()));
  }

  private void ensureService(
      ModelDeployment md, Service desired, Observed o, Context<ModelDeployment> ctx) {
    String recipe = recipe(md, String.valueOf(desired.getSpec().getSelector()));
    writer.ensure(
        desired, recipe, o.services().get(desired.getMetadata().getName()), Service.class, ctx);
  }

  /**
   * What a desired object is built from: the ModelDeployment's spec (its generation; name,
   * namespace and uid are in the key, labels and annotations are not read) and the decision's
   * inputs ({@code what}). A status write changes none of them, so it costs no rebuild.
   */
  private static String recipe(ModelDeployment md, String what) {
    Long generation = md.getMetadata().getGeneration();
    String uid = md.getMetadata().getUid();
    return generation == null || uid == null ? null : uid + "/" + generation + "/" + what;
  }

  /**
   * Deletes the per-revision Services of this ModelDeployment that nothing uses any more (with
   * ReplicaRatio no route reads them, so they carry no traffic).
   */
  private void unused(Observed o, ModelServices.Kept kept, Context<ModelDeployment> ctx) {
    ModelDeployment md = o.md();
    if (!kept.stable()) {
      removeOwn(o.services().get(Labels.stableService(md)), md, ctx);
    }
    if (!kept.canary()) {
      removeOwn(o.services().get(Labels.canaryService(md)), md, ctx);
    }
  }

  private void removeOwn(Service live, ModelDeployment md, Context<ModelDeployment> ctx) {
    if (live != null && Labels.ownedBy(live, md)) {
      writer.remove(live, "no longer in use (spec.service.revisionServices: Auto)", ctx);
    }
  }

  private static RolloutStrategy strategy(RolloutSnapshot s) {
    return s.policy() == null ? null : s.policy().strategy;
  }

  private static List<Service> services(
      ModelDeployment md,
      RolloutDecision d,
      TrafficProvider provider,
      Split split,
      ModelServices.Kept kept) {
    Map<String, String> entry =
        provider == TrafficProvider.ReplicaRatio
            ? ModelServices.replicaRatioSelector(
                md, d.stableRevision(), d.canaryRevision(), split.canaryWeight())
            : Labels.revisionSelector(md, d.stableRevision());
    return ModelServices.desired(md, d.stableRevision(), d.canaryRevision(), entry, kept);
  }

  private static RouteIntent intent(ModelDeployment md, RolloutSnapshot s, RolloutDecision d) {
    int port =
        md.getSpec().service != null && md.getSpec().service.port != null
            ? md.getSpec().service.port
            : 80;
    return new RouteIntent(
        Labels.stableService(md),
        Labels.canaryService(md),
        port,
        d.split(),
        s.readyOf(d.stableRevision()),
        s.readyOf(d.canaryRevision()));
  }

  /**
   * Removes the routes of data planes no longer named; returns those that remain. Candidates: the
   * provider status last recorded and those still listed as stale; when status never recorded one
   * (its write may have failed after a route was created), every other installed data plane, unless
   * the spec is at its first generation (it never named another: nothing to look for, no GET per
   * data plane when a ModelDeployment is created).
   */
  private static List<StaleRoute> removeStale(Observed o, Context<ModelDeployment> ctx) {
    ModelDeployment md = o.md();
    Set<String> stale = new LinkedHashSet<>();
    var st = md.getStatus();
    if (st == null || st.weights == null || st.weights.provider == null) {
      Long generation = md.getMetadata().getGeneration();
      if (generation == null || generation > 1) {
        o.installed().forEach(p -> stale.add(p.name()));
      } // at generation 1 the spec never named another data plane: no route of another can exist
    } else {
      stale.add(st.weights.provider);
    }
    if (st != null) {
      st.staleRoutes.forEach(r -> stale.add(r.provider));
    }
    stale.remove(o.provider().name());
    stale.remove(TrafficProvider.ReplicaRatio.name()); // nothing of its own to remove
    List<StaleRoute> left = new ArrayList<>();
    for (String p : stale) {
      TrafficProvider provider;
      try {
        provider = TrafficProvider.valueOf(p);
      } catch (IllegalArgumentException e) {
        continue; // a provider this version does not know: nothing it could have created
      }
      if (!o.installed().contains(provider)) {
        continue; // the API is gone, and every route with it
      }
      try {
        TrafficRouters.forProvider(provider, ctx.getClient()).remove(md);
      } catch (RuntimeException e) {
        left.add(new StaleRoute(p, "cannot remove the " + p + " route: " + ObjectWriter.why(e)));
      }
    }
    return left;
  }

  private static int replicas(Deployment d) {
    return d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
  }
}
