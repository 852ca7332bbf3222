package io.modelrollout.operator.routing.replicaratio;

import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.routing.RouteIntent;
import io.modelrollout.operator.routing.RouteState;
import io.modelrollout.operator.routing.TrafficRouter;

/**
 * No mesh: the entry Service selects every revision that takes traffic, and the split follows the
 * ready pods. Nothing to write here (the Service selector is part of the owned Services); the
 * weight in force is approximate and reported as such.
 */
public class ReplicaRatioRouter implements TrafficRouter {
  @Override
  public RouteState apply(ModelDeployment md, RouteIntent intent) {
    return read(md, intent);
  }

  @Override
  public RouteState read(ModelDeployment md, RouteIntent intent) {
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
        share, 0, false, "the split follows ready pods: " + share + "% on the canary");
  }

  @Override
  public void remove(ModelDeployment md) {}
}
