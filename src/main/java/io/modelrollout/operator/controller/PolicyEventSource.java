package io.modelrollout.operator.controller;

import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.RolloutPolicy;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Watches RolloutPolicies; a change re-reconciles every ModelDeployment that refers to it. */
final class PolicyEventSource {
  static final String INDEX = "policyRef";

  private PolicyEventSource() {}

  static InformerEventSource<RolloutPolicy, ModelDeployment> create(
      EventSourceContext<ModelDeployment> context) {
    context
        .getPrimaryCache()
        .addIndexer(INDEX, md -> policyKey(md).map(List::of).orElse(List.of()));
    var config =
        InformerEventSourceConfiguration.from(RolloutPolicy.class, ModelDeployment.class)
            .withNamespacesInheritedFromController()
            .withPrimaryToSecondaryMapper(
                (ModelDeployment md) ->
                    policyName(md)
                        .map(n -> Set.of(new ResourceID(n, md.getMetadata().getNamespace())))
                        .orElse(Set.of()))
            .withSecondaryToPrimaryMapper(
                policy ->
                    context
                        .getPrimaryCache()
                        .byIndex(
                            INDEX,
                            policy.getMetadata().getNamespace()
                                + "/"
                                + policy.getMetadata().getName())
                        .stream()
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
            .build();
    return new InformerEventSource<>(config, context);
  }

  private static java.util.Optional<String> policyName(ModelDeployment md) {
    var spec = md.getSpec();
    if (spec == null || spec.rollout == null || spec.rollout.policyRef == null) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.ofNullable(spec.rollout.policyRef.name);
  }

  private static java.util.Optional<String> policyKey(ModelDeployment md) {
    return policyName(md).map(n -> md.getMetadata().getNamespace() + "/" + n);
  }
}
