package io.modelrollout.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A status condition in the Kubernetes convention. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class Condition {
  public static final String READY = "Ready";
  public static final String PROGRESSING = "Progressing";
  public static final String DEGRADED = "Degraded";
  public static final String PAUSED = "Paused";
  public static final String INVALID_SPEC = "InvalidSpec";

  /** Batch mode with batch.maxStaleness: the last successful run is recent enough. */
  public static final String FRESH = "Fresh";

  @JsonPropertyDescription("Ready, Progressing, Degraded, Paused or InvalidSpec.")
  public String type;

  @JsonPropertyDescription("True, False or Unknown.")
  public String status;

  @JsonPropertyDescription("A CamelCase reason for the last transition.")
  public String reason;

  @JsonPropertyDescription(
      "A sentence for humans, with the evidence (e.g. a gate's value and threshold).")
  public String message;

  @JsonPropertyDescription("When the status last changed (RFC 3339).")
  public String lastTransitionTime;

  @JsonPropertyDescription("The metadata.generation the condition was set from.")
  public Long observedGeneration;

  public Condition() {}

  public Condition(String type, boolean status, String reason, String message) {
    this.type = type;
    this.status = status ? "True" : "False";
    this.reason = reason;
    this.message = message;
  }

  @JsonIgnore
  public boolean isTrue() {
    return "True".equals(status);
  }
}
