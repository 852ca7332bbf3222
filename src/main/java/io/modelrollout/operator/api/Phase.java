package io.modelrollout.operator.api;

/** Phase of a ModelDeployment, derived from spec and status. */
public enum Phase {
  Initializing,
  Progressing,
  Paused,
  Healthy,
  Degraded,
  RolledBack
}
