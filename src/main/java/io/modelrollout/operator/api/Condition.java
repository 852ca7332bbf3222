package io.modelrollout.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** A status condition in the Kubernetes convention. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class Condition {
  public static final String READY = "Ready";
  public static final String PROGRESSING = "Progressing";
  public static final String DEGRADED = "Degraded";
  public static final String PAUSED = "Paused";
  public static final String INVALID_SPEC = "InvalidSpec";

  public String type;
  public String status;
  public String reason;
  public String message;
  public String lastTransitionTime;
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
