package io.modelrollout.operator.routing;

/**
 * What a route carries, read back: the canary's share, the mirror percentage, whether a header
 * route pins requests to the canary, and whether it matches the intent exactly ({@code verified}).
 */
public record RouteState(
    int canaryWeight, int mirrorPercent, boolean headerRoute, boolean verified, String detail) {

  /** Whether the canary takes any request: weighted, mirrored or by a header route. */
  public boolean canaryTakesTraffic() {
    return canaryWeight > 0 || mirrorPercent > 0 || headerRoute;
  }
}
