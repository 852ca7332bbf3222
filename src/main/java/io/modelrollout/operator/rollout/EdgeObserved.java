package io.modelrollout.operator.rollout;

import io.modelrollout.operator.api.EdgeSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fleet of an Edge ModelDeployment: every node the fleet selects or that carries one of its
 * labels, and the revisions that have a DaemonSet.
 *
 * @param labelKey the node label that steers a node to a revision ({@code
 *     modelrollout.io/<name>-revision})
 */
public record EdgeObserved(EdgeSpec spec, String labelKey, List<Node> nodes, Set<String> daemonSets)
    implements ModeObserved {

  /**
   * One node.
   *
   * @param eligible edge.nodeSelector selects it
   * @param online Ready and not unreachable
   * @param topology its value of edge.topologyKey, or "" when unset
   * @param revision the operator's value of the revision label, or null
   * @param surge the operator's value of the surge label (a second revision while it updates)
   * @param foreign the revision label is set by someone else: the node is left alone
   * @param pods this ModelDeployment's pods on the node: revision to ready (terminating pods count,
   *     not ready)
   */
  public record Node(
      String name,
      boolean eligible,
      boolean online,
      String topology,
      String revision,
      String surge,
      boolean foreign,
      Map<String, Boolean> pods) {

    public boolean ready(String rev) {
      return rev != null && Boolean.TRUE.equals(pods.get(rev));
    }

    /** Whether a pod of a revision other than {@code rev} is still on the node. */
    public boolean runsOtherThan(String rev) {
      return pods.keySet().stream().anyMatch(r -> !r.equals(rev));
    }
  }
}
