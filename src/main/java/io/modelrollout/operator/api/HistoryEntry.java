package io.modelrollout.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One finished rollout: which version, how it ended, why and when. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class HistoryEntry {
  @JsonPropertyDescription("The model version (spec.model.version) of the rollout.")
  public String version;

  @JsonPropertyDescription(
      "The revision (hash of the pod template and model fields) of the rollout.")
  public String revision;

  @JsonPropertyDescription("Promoted, RolledBack or Aborted.")
  public Outcome outcome;

  @JsonPropertyDescription("Why it ended so, e.g. the gate that failed with its value.")
  public String reason;

  @JsonPropertyDescription("When the rollout ended (RFC 3339).")
  public String at;

  @JsonPropertyDescription(
      "When the rollout started (RFC 3339); its duration is at - startedAt. The first version's"
          + " is when it became stable.")
  public String startedAt;

  public HistoryEntry() {}

  public HistoryEntry(String version, String revision, Outcome outcome, String reason, String at) {
    this.version = version;
    this.revision = revision;
    this.outcome = outcome;
    this.reason = reason;
    this.at = at;
  }

  /** How a rollout ended. */
  public enum Outcome {
    Promoted,
    RolledBack,
    Aborted
  }
}
