package io.modelrollout.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** Edge mode: the fleet's nodes and which of them run the newest version. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class EdgeStatus {
  @JsonPropertyDescription(
      "The node label that steers each node to a revision's DaemonSet; the operator sets and"
          + " removes only its own values of it.")
  public String label;

  @JsonPropertyDescription("Node counts of the fleet.")
  public Nodes nodes;

  @JsonPropertyDescription(
      "Nodes left out, with why: NotReady or unreachable (they get the version in service when"
          + " they come back), or their label is someone else's (at most 20).")
  public List<SkippedNode> skippedNodes = new ArrayList<>();

  /** Node counts. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class Nodes {
    @JsonPropertyDescription("Nodes that edge.nodeSelector selects.")
    public Integer total;

    @JsonPropertyDescription(
        "Nodes labeled for the newest version (the one rolling out, else the one in service).")
    public Integer updated;

    @JsonPropertyDescription("Nodes whose model pod is ready.")
    public Integer ready;

    @JsonPropertyDescription("Nodes skipped: NotReady, unreachable, or labeled by someone else.")
    public Integer skipped;

    public Nodes() {}

    public Nodes(int total, int updated, int ready, int skipped) {
      this.total = total;
      this.updated = updated;
      this.ready = ready;
      this.skipped = skipped;
    }
  }

  /** A node the rollout left out. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class SkippedNode {
    @JsonPropertyDescription("The node's name.")
    public String name;

    @JsonPropertyDescription("Why it was skipped.")
    public String reason;

    public SkippedNode() {}

    public SkippedNode(String name, String reason) {
      this.name = name;
      this.reason = reason;
    }
  }
}
