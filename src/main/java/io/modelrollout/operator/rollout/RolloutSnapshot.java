package io.modelrollout.operator.rollout;

import io.modelrollout.operator.analysis.Measurement;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.api.RolloutPolicySpec;
import java.util.List;
import java.util.Map;

/**
 * Everything the engine decides from: the spec's desired revision, the policy, what runs, the
 * previous status (the only memory), a pending manual action and fresh gate measurements.
 *
 * @param resourceVersion of the ModelDeployment read, recorded with an applied action
 * @param policy the resolved policy; null means no policy (replace once ready)
 * @param splitByPods the data plane splits traffic by ready pods (ReplicaRatio), so a revision
 *     other than stable and canary must have no pods while the split is between them
 * @param problems validation problems; when not empty nothing that runs is touched
 * @param action the raw value of the action annotation, or null
 * @param measurements gate name to a measurement taken for this reconcile
 */
public record RolloutSnapshot(
    long generation,
    String resourceVersion,
    String desiredVersion,
    String desiredRevision,
    int replicas,
    boolean specPaused,
    RolloutPolicySpec policy,
    boolean splitByPods,
    List<String> problems,
    Map<String, LiveRevision> live,
    ModelDeploymentStatus status,
    String action,
    Map<String, Measurement> measurements) {

  public int readyOf(String revision) {
    LiveRevision r = revision == null ? null : live.get(revision);
    return r == null ? 0 : r.readyReplicas();
  }

  /** The same snapshot with gate measurements. */
  public RolloutSnapshot withMeasurements(Map<String, Measurement> m) {
    return new RolloutSnapshot(
        generation,
        resourceVersion,
        desiredVersion,
        desiredRevision,
        replicas,
        specPaused,
        policy,
        splitByPods,
        problems,
        live,
        status,
        action,
        Map.copyOf(m));
  }
}
