package io.modelrollout.operator.routing;

import io.modelrollout.operator.rollout.RequestMatchSpec;
import io.modelrollout.operator.rollout.RouteMatchSpec;
import io.modelrollout.operator.rollout.Split;
import java.util.List;

/**
 * What the route should carry (a {@link Split} between the stable and canary Services), with the
 * readiness of both sides so a router never sends traffic to a side with no ready pods.
 */
public record RouteIntent(
    String stableService,
    String canaryService,
    int port,
    Split split,
    int stableReady,
    int canaryReady) {

  public int canaryWeight() {
    return split.canaryWeight();
  }

  public int mirrorPercent() {
    return split.mirrorPercent();
  }

  public List<RouteMatchSpec> canaryMatches() {
    return split.matches();
  }

  /** Requests to mirror (any of them); empty: every request, when mirrorPercent is above 0. */
  public List<RequestMatchSpec> mirrorMatches() {
    return split.mirrorMatches();
  }

  /** The same services and readiness with another split. */
  public RouteIntent with(Split other) {
    return new RouteIntent(stableService, canaryService, port, other, stableReady, canaryReady);
  }

  /**
   * The intent with weights only where pods are ready: no weight, mirror or matches to a canary
   * without ready pods; all weight to the canary when stable has none and the canary has some.
   */
  public RouteIntent safe() {
    if (canaryReady <= 0) {
      return with(Split.STABLE_ONLY);
    }
    if (stableReady <= 0 && canaryWeight() > 0) {
      return with(new Split(100, 0, canaryMatches()));
    }
    return this;
  }

  /** True when nothing but stable takes traffic: the route then has a single backend. */
  public boolean stableOnly() {
    return split.stableOnly();
  }
}
