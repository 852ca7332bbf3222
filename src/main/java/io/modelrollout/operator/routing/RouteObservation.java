package io.modelrollout.operator.routing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.modelrollout.operator.api.ModelDeployment;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The route object a router found under the ModelDeployment's name, and whose it is: none, the
 * ModelDeployment's (it carries the ModelDeployment's ownerReference), someone else's that its
 * owner lets the operator adopt (annotation {@code modelrollout.io/adopt: "true"}), or someone
 * else's (a conflict: left alone).
 */
public record RouteObservation(HasMetadata object, Ownership ownership) {
  public static final String ADOPT_ANNOTATION = "modelrollout.io/adopt";
  public static final RouteObservation NONE = new RouteObservation(null, Ownership.NONE);

  /** Whose the route object is. */
  public enum Ownership {
    NONE,
    OURS,
    ADOPTABLE,
    FOREIGN
  }

  /** Observes {@code object} (null when there is none) for {@code md}. */
  public static RouteObservation of(HasMetadata object, ModelDeployment md) {
    if (object == null) {
      return NONE;
    }
    List<OwnerReference> owners = object.getMetadata().getOwnerReferences();
    boolean ours =
        owners != null
            && owners.stream().anyMatch(o -> Objects.equals(o.getUid(), md.getMetadata().getUid()));
    if (ours) {
      return new RouteObservation(object, Ownership.OURS);
    }
    Map<String, String> a = object.getMetadata().getAnnotations();
    boolean adoptable = a != null && "true".equalsIgnoreCase(a.get(ADOPT_ANNOTATION));
    return new RouteObservation(object, adoptable ? Ownership.ADOPTABLE : Ownership.FOREIGN);
  }

  /** Whether the operator may write the route. */
  public boolean writable() {
    return ownership != Ownership.FOREIGN;
  }

  /**
   * Why the operator leaves the route alone, for the InvalidSpec condition; null when it may write.
   */
  public String conflict(String kind, ModelDeployment md) {
    if (writable()) {
      return null;
    }
    return kind
        + " "
        + md.getMetadata().getNamespace()
        + "/"
        + md.getMetadata().getName()
        + " already exists and was not created for this ModelDeployment; the operator leaves it"
        + " alone: delete or rename it, or annotate it with "
        + ADOPT_ANNOTATION
        + "=true to let the operator manage it";
  }
}
