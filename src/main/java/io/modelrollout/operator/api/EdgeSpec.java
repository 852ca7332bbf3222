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
import java.util.Map;

/** Edge mode: every node of a fleet runs the model; a rollout moves node by node. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EdgeSpec {
  @Required
  @ValidationRule(
      value = "size(self) > 0",
      message = "edge.nodeSelector needs at least one label: it selects the fleet")
  @JsonPropertyDescription(
      "Labels that select the fleet's nodes, e.g. node-role.kubernetes.io/edge: \"\". Each"
          + " selected node runs one pod of the model.")
  public Map<String, String> nodeSelector;

  @Size(max = 20)
  @JsonPropertyDescription("Taints of the fleet's nodes that the model's pods tolerate.")
  public List<EdgeToleration> tolerations;

  @Size(max = 253)
  @JsonPropertyDescription(
      "A node label to spread each step across (e.g. a hardware class or"
          + " topology.kubernetes.io/zone): nodes are taken from every value in turn, so every"
          + " class runs the new version early.")
  public String topologyKey;

  @Min(1)
  @Default("1")
  @JsonPropertyDescription(
      "Nodes that may be updating at once (without maxSurge a node has no ready model pod while"
          + " it updates). NotReady nodes are skipped and do not count.")
  public Integer maxUnavailableNodes;

  @Min(0)
  @Max(1)
  @Default("0")
  @JsonPropertyDescription(
      "Pods of the new version allowed beside the old one on a node while it updates: 0 (the"
          + " old pod is gone before the new one starts) or 1 (the new one is ready before the old"
          + " one goes).")
  public Integer maxSurge;

  public int maxUnavailableNodesOrDefault() {
    return maxUnavailableNodes == null ? 1 : maxUnavailableNodes;
  }

  public int maxSurgeOrDefault() {
    return maxSurge == null ? 0 : maxSurge;
  }

  /** A toleration of the model's pods, as in a pod spec. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class EdgeToleration {
    @Size(max = 317)
    @JsonPropertyDescription("Taint key; empty with operator Exists tolerates every taint.")
    public String key;

    @JsonPropertyDescription("Equal (default) or Exists.")
    public Operator operator;

    @Size(max = 63)
    @JsonPropertyDescription("Taint value, with operator Equal.")
    public String value;

    @JsonPropertyDescription("NoSchedule, PreferNoSchedule or NoExecute; empty: all effects.")
    public Effect effect;

    @JsonPropertyDescription("With NoExecute: how long the pod stays after the taint appears.")
    public Long tolerationSeconds;
  }

  /** How a toleration matches a taint. */
  public enum Operator {
    Equal,
    Exists
  }

  /** A taint's effect. */
  public enum Effect {
    NoSchedule,
    PreferNoSchedule,
    NoExecute
  }
}
