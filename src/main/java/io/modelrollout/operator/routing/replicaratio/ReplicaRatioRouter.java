package io.modelrollout.operator.routing.replicaratio;

import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.routing.RouteIntent;
import io.modelrollout.operator.routing.RouteObservation;
import io.modelrollout.operator.routing.RouteState;
import io.modelrollout.operator.routing.TrafficRouter;

/**
 * No mesh: the entry Service selects every revision that takes traffic, and the split follows the
 * ready pods. The entry Service's selector is written by the reconciler at the route's place in the
 * order of writes; this router reports the weight in force, which is approximate.
 */
public class ReplicaRatioRouter implements TrafficRouter {
  @Override
  public RouteObservation observe(ModelDeployment md) {
    return RouteObservation.NONE;
  }

  @Override
  public RouteState apply(ModelDeployment md, RouteIntent intent, RouteObservation observed) {
    return read(observed, intent);
  }

  @Override
  public RouteState read(RouteObservation observed, RouteIntent intent) {
    RouteIntent safe = intent.safe();
    int share;
    if (safe.canaryWeight() <= 0) {
      share = 0;
    } else if (safe.canaryWeight() >= 100) {
      share = 100;
    } else {
      int total = safe.stableReady() + safe.canaryReady();
      share = total == 0 ? 0 : Math.round(100f * safe.canaryReady() / total);
    }
    return new RouteState(
        share, 0, false, false, "the split follows ready pods: " + share + "% on the canary");
  }

  @Override
  public void remove(ModelDeployment md) {}
}
