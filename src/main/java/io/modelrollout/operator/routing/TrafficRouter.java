package io.modelrollout.operator.routing;

import io.modelrollout.operator.api.ModelDeployment;

/**
 * A data plane that splits traffic between the stable and canary Services. Implementations write
 * only when what they manage differs, leave what others added untouched, and read back what is in
 * force.
 */
public interface TrafficRouter {
  /**
   * Makes the route carry {@code intent} (weights, mirror, header route); returns what is in force.
   */
  RouteState apply(ModelDeployment md, RouteIntent intent);

  /** Reads back what the route carries now; {@code intent} supplies pod readiness where needed. */
  RouteState read(ModelDeployment md, RouteIntent intent);

  /** Removes the route this router manages for the ModelDeployment, if any. */
  void remove(ModelDeployment md);
}
