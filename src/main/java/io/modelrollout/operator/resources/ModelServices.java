package io.modelrollout.operator.resources;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.ServiceSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds the Services {@code <name>}, {@code <name>-stable} and {@code <name>-canary}. */
public final class ModelServices {
  private ModelServices() {}

  /**
   * The three Services. The stable and canary Services select one revision each (canary falls back
   * to stable when no rollout runs); the entry Service selects {@code entrySelector}.
   */
  public static List<Service> desired(
      ModelDeployment md,
      String stableRevision,
      String canaryRevision,
      Map<String, String> entrySelector) {
    String canary = canaryRevision != null ? canaryRevision : stableRevision;
    return List.of(
        service(md, md.getMetadata().getName(), "entry", entrySelector),
        service(
            md, Labels.stableService(md), "stable", Labels.revisionSelector(md, stableRevision)),
        service(md, Labels.canaryService(md), "canary", Labels.revisionSelector(md, canary)));
  }

  /**
   * The entry Service's selector without a router: one revision while it alone takes traffic, every
   * revision while the split follows the replica ratio.
   */
  public static Map<String, String> replicaRatioSelector(
      ModelDeployment md, String stableRevision, String canaryRevision, int canaryWeight) {
    if (canaryRevision == null || canaryWeight <= 0) {
      return Labels.revisionSelector(md, stableRevision);
    }
    if (canaryWeight >= 100) {
      return Labels.revisionSelector(md, canaryRevision);
    }
    return Labels.allRevisionsSelector(md);
  }

  /** The container port the Services target: spec.service.targetPort or the first port. */
  public static Optional<IntOrString> targetPort(ModelDeployment md) {
    ServiceSpec s = md.getSpec().service;
    if (s != null && s.targetPort != null) {
      return Optional.of(s.targetPort);
    }
    return md.getSpec().template.getSpec().getContainers().stream()
        .findFirst()
        .flatMap(c -> Optional.ofNullable(c.getPorts()).flatMap(p -> p.stream().findFirst()))
        .map(ModelServices::portRef);
  }

  private static IntOrString portRef(ContainerPort p) {
    return p.getName() != null
        ? new IntOrString(p.getName())
        : new IntOrString(p.getContainerPort());
  }

  private static Service service(
      ModelDeployment md, String name, String role, Map<String, String> selector) {
    ServiceSpec s = md.getSpec().service;
    int port = s != null && s.port != null ? s.port : 80;
    Map<String, String> labels = Labels.common(md);
    labels.put("modelrollout.io/service-role", role);
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(md.getMetadata().getNamespace())
        .withLabels(labels)
        .withOwnerReferences(RevisionDeployments.ownerReference(md))
        .endMetadata()
        .withNewSpec()
        .withSelector(selector)
        .addNewPort()
        .withName("http")
        .withPort(port)
        .withTargetPort(targetPort(md).orElse(new IntOrString(port)))
        .withProtocol("TCP")
        .endPort()
        .endSpec()
        .build();
  }
}
