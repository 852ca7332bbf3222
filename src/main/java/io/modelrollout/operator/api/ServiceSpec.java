package io.modelrollout.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.IntOrString;

/** Port settings of the Services the operator creates for a ModelDeployment. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceSpec {
  @Min(1)
  @Max(65535)
  @Default("80")
  @JsonPropertyDescription("Port of the Services <name>, <name>-stable and <name>-canary.")
  public Integer port;

  @JsonPropertyDescription(
      "Container port the Services send to, by number or name. Defaults to the first port of"
          + " the first container.")
  public IntOrString targetPort;

  @JsonPropertyDescription(
      "Which per-revision Services the operator keeps beside the entry Service <name>. Auto"
          + " (default): only those something uses: <name>-stable and <name>-canary behind a"
          + " GatewayAPI or Istio route (its backends); with ReplicaRatio <name>-canary for a"
          + " blue-green preview and none otherwise (one ClusterIP per ModelDeployment)."
          + " Always: both in every case, for example to reach one revision directly; each"
          + " takes a ClusterIP.")
  public RevisionServices revisionServices;
}
