package io.modelrollout.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One finished rollout: which version, how it ended, why and when. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class HistoryEntry {
  public String version;
  public String revision;

  @JsonPropertyDescription("Promoted, RolledBack or Aborted.")
  public Outcome outcome;

  public String reason;

  @JsonPropertyDescription("When the rollout ended (RFC 3339).")
  public String at;

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
