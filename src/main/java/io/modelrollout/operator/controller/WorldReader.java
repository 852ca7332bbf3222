package io.modelrollout.operator.controller;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.ModelDeploymentSpec;
import io.modelrollout.operator.api.RolloutPolicy;
import io.modelrollout.operator.api.RolloutPolicySpec;
import io.modelrollout.operator.resources.Labels;
import io.modelrollout.operator.resources.RevisionHash;
import io.modelrollout.operator.rollout.LiveRevision;
import io.modelrollout.operator.rollout.RolloutSnapshot;
import io.modelrollout.operator.validation.SpecValidator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads the world of one ModelDeployment into a snapshot (step 1 of a reconcile). */
public class WorldReader {
  private final OperatorSettings settings;
  private final ProviderDiscovery discovery;

  public WorldReader(OperatorSettings settings, ProviderDiscovery discovery) {
    this.settings = settings;
    this.discovery = discovery;
  }

  /** The snapshot, without gate measurements; validation problems included. */
  public RolloutSnapshot read(ModelDeployment md, Context<ModelDeployment> ctx) {
    ModelDeploymentSpec spec = md.getSpec();
    String ns = md.getMetadata().getNamespace();
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
    SpecValidator.World world =
        new SpecValidator.World(
            ns,
            policy,
            missing,
            discovery.installed(ctx.getClient()),
            settings.defaultPrometheus());
    List<String> problems = SpecValidator.validate(spec, world);
    String revision = problems.isEmpty() || spec.template != null ? safeHash(spec) : null;
    Map<String, String> annotations = md.getMetadata().getAnnotations();
    return new RolloutSnapshot(
        md.getMetadata().getGeneration() == null ? 0 : md.getMetadata().getGeneration(),
        spec.model == null ? null : spec.model.version,
        revision,
        spec.replicasOrDefault(),
        spec.pausedOrDefault(),
        policy,
        problems,
        live(ctx),
        md.getStatus(),
        annotations == null ? null : annotations.get(Labels.ACTION_ANNOTATION),
        Map.of());
  }

  /** The Deployments of the ModelDeployment by revision. */
  public static Map<String, Deployment> deployments(Context<ModelDeployment> ctx) {
    Map<String, Deployment> out = new LinkedHashMap<>();
    for (Deployment d : ctx.getSecondaryResources(Deployment.class)) {
      Map<String, String> labels = d.getMetadata().getLabels();
      String rev = labels == null ? null : labels.get(Labels.REVISION);
      if (rev != null) {
        out.put(rev, d);
      }
    }
    return out;
  }

  private static Map<String, LiveRevision> live(Context<ModelDeployment> ctx) {
    Map<String, LiveRevision> out = new LinkedHashMap<>();
    deployments(ctx)
        .forEach(
            (rev, d) -> {
              var st = d.getStatus();
              int ready = st == null || st.getReadyReplicas() == null ? 0 : st.getReadyReplicas();
              int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
              String version = d.getMetadata().getLabels().get(Labels.VERSION);
              out.put(rev, new LiveRevision(rev, version, replicas, ready, failed(d)));
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

  private static String safeHash(ModelDeploymentSpec spec) {
    try {
      return RevisionHash.of(spec);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
