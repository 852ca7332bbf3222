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
      "True when the weights were read back from the route; false when they are approximate"
          + " (ReplicaRatio follows ready pods).")
  public Boolean verified;

  public Weights() {}

  public Weights(int stable, int canary) {
    this.stable = stable;
    this.canary = canary;
  }
}
