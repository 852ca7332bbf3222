package io.modelrollout.operator.controller;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.ModelDeploymentSpec;
import io.modelrollout.operator.api.RolloutPolicy;
import io.modelrollout.operator.api.RolloutPolicySpec;
import io.modelrollout.operator.api.TrafficProvider;
import io.modelrollout.operator.resources.Autoscalers;
import io.modelrollout.operator.resources.Labels;
import io.modelrollout.operator.resources.RevisionHash;
import io.modelrollout.operator.rollout.Autoscaled;
import io.modelrollout.operator.rollout.LiveRevision;
import io.modelrollout.operator.rollout.RolloutSnapshot;
import io.modelrollout.operator.routing.RouteObservation;
import io.modelrollout.operator.routing.TrafficRouters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads the world of one ModelDeployment (step 1 of a reconcile), and builds the snapshot. */
public class WorldReader {
  private final ProviderDiscovery discovery;

  public WorldReader(ProviderDiscovery discovery) {
    this.discovery = discovery;
  }

  /** Everything the later steps need; reads the informer caches, discovery and the route. */
  public Observed read(ModelDeployment md, Context<ModelDeployment> ctx) {
    ModelDeploymentSpec spec = md.getSpec();
    String missing = null;
    RolloutPolicySpec policy = null;
    if (spec.rollout != null && spec.rollout.policyRef != null) {
      String name = spec.rollout.policyRef.name;
      Optional<RolloutPolicy> p = ctx.getSecondaryResource(RolloutPolicy.class);
      if (p.isPresent() && name.equals(p.get().getMetadata().getName())) {
        policy = p.get().getSpec();
      } else {
        missing = name;
      }
    } else if (spec.rollout != null) {
      policy = spec.rollout.policy;
    }
    if (missing == null && followUpRef(policy) != null) {
      String name = followUpRef(policy);
      RolloutPolicy follow = cachedPolicy(ctx, md.getMetadata().getNamespace(), name);
      if (follow == null || follow.getSpec() == null || follow.getSpec().canary == null) {
        missing = name; // reported as a missing policy (a follow-up needs canary steps)
      } else {
        policy = withFollowUp(policy, follow.getSpec());
      }
    }
    Set<TrafficProvider> installed = discovery.installed(ctx.getClient());
    TrafficProvider provider = Applier.provider(md);
    RouteObservation route = RouteObservation.NONE;
    if (installed.contains(provider)) {
      RouteEventSources.ensure(provider, ctx);
      // the watched cache holds the routes the operator owns; any other is read directly
      route =
          RouteEventSources.cached(provider, md, ctx)
              .map(r -> RouteObservation.of(r, md))
              .orElseGet(() -> TrafficRouters.forProvider(provider, ctx.getClient()).observe(md));
    }
    Map<String, Service> services = new LinkedHashMap<>();
    ctx.getSecondaryResources(Service.class)
        .forEach(s -> services.put(s.getMetadata().getName(), s));
    Map<String, Deployment> deployments = deployments(ctx);
    return new Observed(
        md,
        policy,
        missing,
        installed,
        provider,
        route,
        deployments,
        Map.copyOf(services),
        provider == TrafficProvider.ReplicaRatio
            ? RevisionReplicaSets.readyByRevision(deployments, RevisionReplicaSets.of(ctx))
            : Map.of());
  }

  /**
   * A RolloutPolicy from the policy informer's cache (no request, no extra permission), or null. A
   * change to it is seen at the next reconcile of the ModelDeployment, not as an event.
   */
  @SuppressWarnings("unchecked")
  private static RolloutPolicy cachedPolicy(
      Context<ModelDeployment> ctx, String namespace, String name) {
    var source = ctx.eventSourceRetriever().getEventSourceFor(RolloutPolicy.class);
    if (source
        instanceof
        io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource<?, ?>
            informer) {
      return ((io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource<
                  RolloutPolicy, ModelDeployment>)
              informer)
          .get(new io.javaoperatorsdk.operator.processing.event.ResourceID(name, namespace))
          .orElse(null);
    }
    return null;
  }

  /** The name of a shadow's follow-up policy, when the shadow names one instead of steps. */
  private static String followUpRef(RolloutPolicySpec p) {
    return io.modelrollout.operator.rollout.FollowUpPolicy.ref(p);
  }

  /** A copy of the shadow policy with the follow-up's canary steps and gates inlined. */
  static RolloutPolicySpec withFollowUp(RolloutPolicySpec shadow, RolloutPolicySpec follow) {
    return io.modelrollout.operator.rollout.FollowUpPolicy.inline(shadow, follow);
  }

  /** The snapshot the engine decides from, with the validation problems found. */
  public static RolloutSnapshot snapshot(Observed o, List<String> problems) {
    ModelDeployment md = o.md();
    ModelDeploymentSpec spec = md.getSpec();
    String revision = problems.isEmpty() || spec.template != null ? revision(md) : null;
    Map<String, String> annotations = md.getMetadata().getAnnotations();
    int replicas = spec.replicasOrDefault();
    RolloutPolicySpec policy = o.policy();
    if (spec.autoscaling != null) { // issue 12: the autoscaler sizes stable; see Autoscaled
      replicas = Autoscalers.size(spec.autoscaling, replicas, stableSize(md, o.deployments()));
      policy = Autoscaled.policy(policy, replicas);
    }
    return new RolloutSnapshot(
        md.getMetadata().getGeneration() == null ? 0 : md.getMetadata().getGeneration(),
        md.getMetadata().getResourceVersion(),
        spec.model == null ? null : spec.model.version,
        revision,
        replicas,
        spec.pausedOrDefault(),
        policy,
        o.provider() == TrafficProvider.ReplicaRatio,
        problems,
        live(o.deployments(), o.replicaSetReady()),
        md.getStatus(),
        annotations == null ? null : annotations.get(Labels.ACTION_ANNOTATION),
        Map.of());
  }

  /** The size of the stable revision's Deployment (an autoscaler's choice), if it exists. */
  private static Integer stableSize(ModelDeployment md, Map<String, Deployment> deployments) {
    var st = md.getStatus();
    Deployment d = st == null || st.stable == null ? null : deployments.get(st.stable.revision);
    return d == null ? null : d.getSpec().getReplicas();
  }

  /** The Deployments of the ModelDeployment by revision. */
  static Map<String, Deployment> deployments(Context<ModelDeployment> ctx) {
    Map<String, Deployment> out = new LinkedHashMap<>();
    for (Deployment d : ctx.getSecondaryResources(Deployment.class)) {
      Map<String, String> labels = d.getMetadata().getLabels();
      String rev = labels == null ? null : labels.get(Labels.REVISION);
      if (rev != null) {
        out.put(rev, d);
      }
    }
    return Map.copyOf(out);
  }

  /**
   * Each revision's size and ready pods: what its ReplicaSets say when they have a count for it
   * (seconds ahead of the Deployment's status under load, a drop as much as a rise), else what its
   * Deployment's status says.
   */
  static Map<String, LiveRevision> live(
      Map<String, Deployment> deployments, Map<String, Integer> replicaSetReady) {
    Map<String, LiveRevision> out = new LinkedHashMap<>();
    deployments.forEach(
        (rev, d) -> {
          var st = d.getStatus();
          int ready = st == null || st.getReadyReplicas() == null ? 0 : st.getReadyReplicas();
          ready = replicaSetReady.getOrDefault(rev, ready);
          int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
          String version = d.getMetadata().getLabels().get(Labels.VERSION);
          // pods above spec.replicas are on their way out, whatever the status still says
          int serving = Math.min(ready, replicas);
          out.put(rev, new LiveRevision(rev, version, replicas, serving, failed(d)));
        });
    return out;
  }

  private static boolean failed(Deployment d) {
    if (d.getStatus() == null || d.getStatus().getConditions() == null) {
      return false;
    }
    for (DeploymentCondition c : d.getStatus().getConditions()) {
      if ("Progressing".equals(c.getType())
          && "False".equals(c.getStatus())
          && "ProgressDeadlineExceeded".equals(c.getReason())) {
        return true;
      }
    }
    return false;
  }

  /**
   * The spec's revision hash, computed once per generation (the hash serializes the whole pod
   * template; a reconcile that only takes a gate measurement would otherwise pay it every time).
   */
  private static String revision(ModelDeployment md) {
    String uid = md.getMetadata().getUid();
    Long generation = md.getMetadata().getGeneration();
    if (uid == null || generation == null) {
      return safeHash(md.getSpec());
    }
    String key = uid + "/" + generation;
    String known = REVISIONS.get(key);
    if (known != null) {
      return known;
    }
    String hash = safeHash(md.getSpec());
    if (hash != null) {
      if (REVISIONS.size() >= 50_000) {
        REVISIONS.clear(); // a bound, not an eviction policy
      }
      REVISIONS.put(key, hash);
    }
    return hash;
  }

  private static final java.util.Map<String, String> REVISIONS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static String safeHash(ModelDeploymentSpec spec) {
    try {
      return RevisionHash.of(spec);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
