package io.modelrollout.operator.api;

/**
 * How a model runs: an online service behind Services and a route, a job on a schedule, or a pod on
 * every node of an edge fleet. Each rolls a new version out through the same policies.
 */
public enum DeploymentMode {
  Online,
  Batch,
  Edge
}
