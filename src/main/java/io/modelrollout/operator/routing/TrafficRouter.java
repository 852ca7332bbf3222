package io.modelrollout.operator.routing;

import io.modelrollout.operator.api.ModelDeployment;

/**
 * A data plane that splits traffic between the stable and canary Services. Implementations write
 * only when what they manage differs, leave what others added untouched, never write an object that
 * is not the ModelDeployment's (unless its owner lets it be adopted), and read back what is in
 * force.
 */
public interface TrafficRouter {
  /** The route object under the ModelDeployment's name, if any, and whose it is. */
  RouteObservation observe(ModelDeployment md);

  /**
   * Makes the route carry {@code intent} (weights, mirror, header route), starting from what {@link
   * #observe} found; returns what is in force.
   */
  RouteState apply(ModelDeployment md, RouteIntent intent, RouteObservation observed);

  /** Reads back what an observed route carries; {@code intent} supplies pod readiness. */
  RouteState read(RouteObservation observed, RouteIntent intent);

  /** Removes the route this router manages for the ModelDeployment, if the route is its own. */
  void remove(ModelDeployment md);
}
