package io.modelrollout.operator.api;

/** The data planes a ModelDeployment can route through. */
public enum TrafficProvider {
  ReplicaRatio,
  GatewayAPI,
  Istio
}
