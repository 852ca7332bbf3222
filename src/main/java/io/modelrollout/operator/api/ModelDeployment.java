package io.modelrollout.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A machine-learning model served by a model-server image and rolled out by a policy. */
@Group(ModelDeployment.GROUP)
@Version(ModelDeployment.VERSION)
@Plural("modeldeployments")
@ShortNames({"md", "mdeploy"})
@AdditionalPrinterColumn(name = "Model", jsonPath = ".spec.model.name")
@AdditionalPrinterColumn(name = "Stable", jsonPath = ".status.stable.version")
@AdditionalPrinterColumn(name = "Canary", jsonPath = ".status.canary.version")
@AdditionalPrinterColumn(
    name = "Weight",
    jsonPath = ".status.weights.actualCanary",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(
    value = "size(self.metadata.name) <= 52",
    message =
        "metadata.name must be at most 52 characters, so that the Deployment <name>-<revision>"
            + " and the Services <name>-stable and <name>-canary fit Kubernetes name limits")
public class ModelDeployment extends CustomResource<ModelDeploymentSpec, ModelDeploymentStatus>
    implements Namespaced {
  public static final String GROUP = "modelrollout.io";
  public static final String VERSION = "v1alpha1";

  @Override
  protected ModelDeploymentStatus initStatus() {
    return null;
  }
}
