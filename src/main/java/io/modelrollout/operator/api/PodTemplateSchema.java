package io.modelrollout.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Map;

/**
 * The CRD schema of {@code spec.template}: a standard PodTemplateSpec, checked for what the
 * operator relies on (at least one container with a name and an image) and otherwise passed
 * through, which keeps the CRD small enough for client-side {@code kubectl apply}.
 */
public class PodTemplateSchema {
  @JsonPropertyDescription("Labels and annotations added to every pod of every revision.")
  public Metadata metadata;

  @Required
  @JsonPropertyDescription("A standard Kubernetes PodSpec (containers, volumes, resources, ...).")
  public Spec spec;

  /** Pod metadata the operator copies to each revision. */
  public static class Metadata {
    public Map<String, String> labels;
    public Map<String, String> annotations;
  }

  /** PodSpec with the containers list checked. */
  @PreserveUnknownFields
  public static class Spec {
    @Required
    @Size(min = 1)
    @JsonPropertyDescription("Containers of the model server; the first one serves the model.")
    public List<Container> containers;
  }

  /** A container: name and image are required, the rest is the standard Container. */
  @PreserveUnknownFields
  public static class Container {
    @Required
    @Size(min = 1)
    public String name;

    @Required
    @Size(min = 1)
    @JsonPropertyDescription("Model-server image, e.g. ghcr.io/acme/model-server:1.4.")
    public String image;
  }
}
