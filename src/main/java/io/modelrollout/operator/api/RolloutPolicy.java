package io.modelrollout.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A reusable rollout policy: strategy, steps, metric gates and rollback rules. */
@Group(ModelDeployment.GROUP)
@Version(ModelDeployment.VERSION)
@Plural("rolloutpolicies")
@ShortNames({"rpol"})
@AdditionalPrinterColumn(name = "Strategy", jsonPath = ".spec.strategy")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class RolloutPolicy extends CustomResource<RolloutPolicySpec, Void> implements Namespaced {}
