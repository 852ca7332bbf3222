package io.modelrollout.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The traffic split in force between stable and canary. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class Weights {
  @JsonPropertyDescription("Percentage of live traffic to the stable revision.")
  public Integer stable;

  @JsonPropertyDescription("Percentage of live traffic to the canary revision.")
  public Integer canary;

  @JsonPropertyDescription("Percentage of requests mirrored (shadowed) to the canary.")
  public Integer mirror;

  @JsonPropertyDescription(
      "True when the route was read back and carries these weights; false when they are"
          + " approximate (ReplicaRatio follows ready pods) or the route differs.")
  public Boolean verified;

  @JsonPropertyDescription(
      "The canary's share in force: read back from the route, or, with ReplicaRatio, the"
          + " share of ready pods behind the entry Service.")
  public Integer actualCanary;

  @JsonPropertyDescription("The data plane that carries the weights.")
  public String provider;

  public Weights() {}

  public Weights(int stable, int canary) {
    this.stable = stable;
    this.canary = canary;
  }
}
