package io.modelrollout.operator.resources;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.RevisionServices;
import io.modelrollout.operator.api.RolloutStrategy;
import io.modelrollout.operator.api.ServiceSpec;
import io.modelrollout.operator.api.TrafficProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the Services {@code <name>} and, where in use, {@code <name>-stable} and {@code
 * <name>-canary}.
 */
public final class ModelServices {
  private ModelServices() {}

  /** Which per-revision Services a ModelDeployment keeps beside its entry Service. */
  public record Kept(boolean stable, boolean canary) {
    static final Kept BOTH = new Kept(true, true);
  }

  /**
   * The per-revision Services in use ({@link RevisionServices}): behind a route both are its
   * backends; with ReplicaRatio the entry Service alone carries traffic, and {@code <name>-canary}
   * serves a blue-green preview.
   */
  public static Kept kept(ModelDeployment md, TrafficProvider provider, RolloutStrategy strategy) {
    ServiceSpec s = md.getSpec().service;
    if (provider != TrafficProvider.ReplicaRatio
        || (s != null && s.revisionServices == RevisionServices.Always)) {
      return Kept.BOTH;
    }
    return new Kept(false, strategy == RolloutStrategy.BlueGreen);
  }

  /** The entry Service and all per-revision Services. */
  public static List<Service> desired(
      ModelDeployment md,
      String stableRevision,
      String canaryRevision,
      Map<String, String> entrySelector) {
    return desired(md, stableRevision, canaryRevision, entrySelector, Kept.BOTH);
  }

  /**
   * The entry Service first, then the per-revision Services {@code kept}. The stable and canary
   * Services select one revision each (canary falls back to stable when no rollout runs); the entry
   * Service selects {@code entrySelector}.
   */
  public static List<Service> desired(
      ModelDeployment md,
      String stableRevision,
      String canaryRevision,
      Map<String, String> entrySelector,
      Kept kept) {
    String canary = canaryRevision != null ? canaryRevision : stableRevision;
    List<Service> out = new ArrayList<>(3);
    out.add(service(md, md.getMetadata().getName(), "entry", entrySelector));
    if (kept.stable()) {
      out.add(
          service(
              md, Labels.stableService(md), "stable", Labels.revisionSelector(md, stableRevision)));
    }
    if (kept.canary()) {
      out.add(service(md, Labels.canaryService(md), "canary", Labels.revisionSelector(md, canary)));
    }
    return out;
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
