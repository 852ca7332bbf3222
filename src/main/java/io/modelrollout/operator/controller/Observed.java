package io.modelrollout.operator.controller;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.RolloutPolicySpec;
import io.modelrollout.operator.api.TrafficProvider;
import io.modelrollout.operator.routing.RouteObservation;
import java.util.Map;
import java.util.Set;

/**
 * What one reconcile read of a ModelDeployment's world: the resolved policy, the data planes the
 * cluster serves, the route under the ModelDeployment's name, and the owned Deployments (by
 * revision) and Services (by name).
 *
 * @param missingPolicy name of a referenced RolloutPolicy that does not exist, or null
 * @param route the route of the spec's provider (NONE for ReplicaRatio or an API not served)
 * @param replicaSetReady ready pods of each revision as its Deployment's ReplicaSets count them
 */
public record Observed(
    ModelDeployment md,
    RolloutPolicySpec policy,
    String missingPolicy,
    Set<TrafficProvider> installed,
    TrafficProvider provider,
    RouteObservation route,
    Map<String, Deployment> deployments,
    Map<String, Service> services,
    Map<String, Integer> replicaSetReady) {}
