package io.modelrollout.operator.api;

/** How a new revision takes over from the stable one. */
public enum RolloutStrategy {
  Canary,
  BlueGreen,
  Shadow,
  ABTest
}
