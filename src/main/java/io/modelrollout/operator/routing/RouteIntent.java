package io.modelrollout.operator.routing;

import io.modelrollout.operator.rollout.RouteMatchSpec;
import java.util.List;

/**
 * What the route should carry: the canary's weight, a mirror percentage and header matches, with
 * the readiness of both sides so a router never sends traffic to a side with no ready pods.
 */
public record RouteIntent(
    String stableService,
    String canaryService,
    int port,
    int canaryWeight,
    int mirrorPercent,
    List<RouteMatchSpec> canaryMatches,
    int stableReady,
    int canaryReady) {

  /**
   * The intent with weights only where pods are ready: no weight, mirror or matches to a canary
   * without ready pods; all weight to the canary when stable has none and the canary has some.
   */
  public RouteIntent safe() {
    if (canaryReady <= 0) {
      return new RouteIntent(
          stableService, canaryService, port, 0, 0, List.of(), stableReady, canaryReady);
    }
    if (stableReady <= 0 && canaryWeight > 0) {
      return new RouteIntent(
          stableService, canaryService, port, 100, 0, canaryMatches, stableReady, canaryReady);
    }
    return this;
  }

  /** True when nothing but stable takes traffic: the route then has a single backend. */
  public boolean stableOnly() {
    return canaryWeight == 0 && mirrorPercent == 0 && canaryMatches.isEmpty();
  }
}
