package io.modelrollout.operator.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelrollout.operator.api.GateSpec;
import io.modelrollout.operator.metrics.QueryTarget;

/** Resolves where a gate's query goes: address, timeout and credentials. */
public class GateTargets {
  private final OperatorSettings settings;

  public GateTargets(OperatorSettings settings) {
    this.settings = settings;
  }

  public QueryTarget target(GateSpec gate, String namespace, KubernetesClient client) {
    String address =
        gate.prometheus.address != null ? gate.prometheus.address : settings.defaultPrometheus();
    return QueryTarget.plain(address, settings.queryTimeout());
  }
}
