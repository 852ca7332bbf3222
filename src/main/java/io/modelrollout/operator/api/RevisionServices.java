package io.modelrollout.operator.api;

/**
 * Which per-revision Services ({@code <name>-stable}, {@code <name>-canary}) the operator keeps.
 */
public enum RevisionServices {
  /**
   * Only those something uses: both behind a GatewayAPI or Istio route (they are its backends);
   * with ReplicaRatio {@code <name>-canary} for a blue-green preview and none otherwise.
   */
  Auto,
  /** Both, whatever the data plane and strategy (to reach one revision directly). */
  Always
}
