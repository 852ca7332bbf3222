package io.modelrollout.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Which data plane carries the weights, and its settings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.provider) || self.provider != 'GatewayAPI' || has(self.gatewayAPI)",
    message =
        "traffic.gatewayAPI (with parentRefs) is required when traffic.provider is GatewayAPI")
public class TrafficSpec {
  @Default("ReplicaRatio")
  @JsonPropertyDescription(
      "ReplicaRatio (default, no mesh: the split follows ready pods), GatewayAPI (an HTTPRoute"
          + " <name>) or Istio (a VirtualService <name>).")
  public TrafficProvider provider;

  @JsonPropertyDescription("Settings of the HTTPRoute when provider is GatewayAPI.")
  public GatewayApi gatewayAPI;

  @JsonPropertyDescription("Settings of the VirtualService when provider is Istio.")
  public Istio istio;

  public TrafficProvider providerOrDefault() {
    return provider == null ? TrafficProvider.ReplicaRatio : provider;
  }

  /** HTTPRoute settings. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class GatewayApi {
    @Required
    @Size(min = 1, max = 16)
    @JsonPropertyDescription(
        "Gateways (or, for a service mesh, Services) the HTTPRoute attaches to.")
    public List<ParentRef> parentRefs;

    @Size(max = 16)
    @JsonPropertyDescription("Hostnames the HTTPRoute matches.")
    public List<String> hostnames;
  }

  /** A Gateway API parentRef. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ParentRef {
    @JsonPropertyDescription("API group of the parent; default gateway.networking.k8s.io.")
    public String group;

    @JsonPropertyDescription("Kind of the parent; default Gateway.")
    public String kind;

    @JsonPropertyDescription("Namespace of the parent; default the ModelDeployment's.")
    public String namespace;

    @Required
    @Size(min = 1, max = 253)
    @JsonPropertyDescription("Name of the parent (a Gateway, or a Service for a mesh).")
    public String name;

    @JsonPropertyDescription("Listener of the Gateway to attach to.")
    public String sectionName;

    @Min(1)
    @Max(65535)
    @JsonPropertyDescription("Port of the parent's listener to attach to.")
    public Integer port;
  }

  /** VirtualService settings. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Istio {
    @Size(max = 16)
    @JsonPropertyDescription("Hosts of the VirtualService; default the entry Service <name>.")
    public List<String> hosts;

    @Size(max = 16)
    @JsonPropertyDescription("Istio Gateways to bind to; default the mesh only.")
    public List<String> gateways;
  }
}
