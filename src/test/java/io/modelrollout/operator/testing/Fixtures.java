package io.modelrollout.operator.testing;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.modelrollout.operator.api.CanarySpec;
import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.GateSpec;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.ModelDeploymentSpec;
import io.modelrollout.operator.api.ModelSpec;
import io.modelrollout.operator.api.RolloutPolicy;
import io.modelrollout.operator.api.RolloutPolicySpec;
import io.modelrollout.operator.api.RolloutSpec;
import io.modelrollout.operator.api.RolloutStrategy;
import java.util.ArrayList;
import java.util.List;

/** Builders of test objects. */
public final class Fixtures {
  private Fixtures() {}

  public static ModelDeployment model(String namespace, String name, String version, int replicas) {
    ModelDeployment md = new ModelDeployment();
    md.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    ModelDeploymentSpec spec = new ModelDeploymentSpec();
    spec.model = new ModelSpec();
    spec.model.name = "fraud-detector";
    spec.model.version = version;
    spec.model.uri = "s3://models/fraud/" + version;
    spec.replicas = replicas;
    spec.template =
        new PodTemplateSpecBuilder()
            .withNewMetadata()
            .addToLabels("team", "risk")
            .endMetadata()
            .withNewSpec()
            .withContainers(
                new ContainerBuilder()
                    .withName("server")
                    .withImage("docker.io/seldonio/mlserver:1.6.1")
                    .withPorts(
                        new ContainerPortBuilder().withName("http").withContainerPort(8080).build())
                    .build())
            .endSpec()
            .build();
    md.setSpec(spec);
    return md;
  }

  public static ModelDeployment withPolicy(ModelDeployment md, String policy) {
    md.getSpec().rollout = new RolloutSpec();
    md.getSpec().rollout.policyRef = new RolloutSpec.PolicyRef();
    md.getSpec().rollout.policyRef.name = policy;
    return md;
  }

  public static RolloutPolicy canaryPolicy(
      String namespace, String name, int maxSurge, CanaryStep... steps) {
    RolloutPolicy p = new RolloutPolicy();
    p.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    p.setSpec(canarySpec(maxSurge, steps));
    return p;
  }

  /** A canary policy; with maxSurge 0, maxUnavailable is 1 (both 0 is rejected). */
  public static RolloutPolicySpec canarySpec(int maxSurge, CanaryStep... steps) {
    return canarySpec(maxSurge, maxSurge == 0 ? 1 : 0, steps);
  }

  public static RolloutPolicySpec canarySpec(
      int maxSurge, int maxUnavailable, CanaryStep... steps) {
    RolloutPolicySpec s = new RolloutPolicySpec();
    s.strategy = RolloutStrategy.Canary;
    s.canary = new CanarySpec();
    s.canary.steps = new ArrayList<>(List.of(steps));
    s.canary.maxSurge = maxSurge;
    s.canary.maxUnavailable = maxUnavailable;
    s.canary.scaleDownDelay = "2s";
    s.progressDeadline = "60s";
    return s;
  }

  /**
   * Merge-patches a ModelDeployment without a resourceVersion, as kubectl patch does; an edit with
   * optimistic locking would race the operator's status writes.
   */
  public static void patch(
      io.fabric8.kubernetes.client.KubernetesClient client, String ns, String name, String json) {
    client
        .resources(ModelDeployment.class)
        .inNamespace(ns)
        .withName(name)
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            json);
  }

  /** A gate on a query, passing while the value stays at or below {@code max}. */
  public static GateSpec gate(String name, String query, double max) {
    GateSpec g = new GateSpec();
    g.name = name;
    g.prometheus = new GateSpec.PrometheusGate();
    g.prometheus.query = query;
    g.max = max;
    g.interval = "1s";
    g.initialDelay = "0s";
    g.count = 2;
    g.failureLimit = 0;
    return g;
  }
}
