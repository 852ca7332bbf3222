package io.modelrollout.operator.rollout;

import java.util.List;

/**
 * The traffic between stable and canary: the canary's weight in percent, the percentage of requests
 * mirrored to it (only those matching {@code mirrorMatches}, when any), and the header or cookie
 * matches pinned to it.
 */
public record Split(
    int canaryWeight,
    int mirrorPercent,
    List<RouteMatchSpec> matches,
    List<RequestMatchSpec> mirrorMatches) {
  /** Everything on stable. */
  public static final Split STABLE_ONLY = new Split(0, 0, List.of());

  public Split {
    matches = List.copyOf(matches);
    mirrorMatches = mirrorMatches == null ? List.of() : List.copyOf(mirrorMatches);
  }

  public Split(int canaryWeight, int mirrorPercent, List<RouteMatchSpec> matches) {
    this(canaryWeight, mirrorPercent, matches, List.of());
  }

  /** True when nothing but stable takes traffic. */
  public boolean stableOnly() {
    return canaryWeight == 0 && mirrorPercent == 0 && matches.isEmpty();
  }
}
