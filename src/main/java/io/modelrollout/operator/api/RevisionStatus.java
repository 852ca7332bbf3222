package io.modelrollout.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A revision of the model server: version, hash and pods. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class RevisionStatus {
  @JsonPropertyDescription("Model version of this revision.")
  public String version;

  @JsonPropertyDescription("Short hash of the pod template and model fields.")
  public String revision;

  @JsonPropertyDescription("Pods the revision should have now.")
  public Integer replicas;

  @JsonPropertyDescription("Pods of the revision that are ready.")
  public Integer readyReplicas;

  public RevisionStatus() {}

  public RevisionStatus(String version, String revision, int replicas, int readyReplicas) {
    this.version = version;
    this.revision = revision;
    this.replicas = replicas;
    this.readyReplicas = readyReplicas;
  }
}
