package io.modelrollout.operator.controller;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.modelrollout.operator.api.DeploymentMode;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.ModelDeploymentSpec;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.resources.Labels;
import io.modelrollout.operator.resources.RevisionHash;
import io.modelrollout.operator.rollout.BatchObserved;
import io.modelrollout.operator.rollout.EdgeObserved;
import io.modelrollout.operator.rollout.ModeDecision;
import io.modelrollout.operator.rollout.ModeEngine;
import io.modelrollout.operator.rollout.ModeIntent;
import io.modelrollout.operator.rollout.ModeObserved;
import io.modelrollout.operator.rollout.RolloutSnapshot;
import io.modelrollout.operator.status.ModeStatus;
import io.modelrollout.operator.status.StatusAggregator;
import io.modelrollout.operator.validation.ModeValidator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One reconcile of a Batch or an Edge ModelDeployment, the same straight line as {@link
 * ReconcileFlow}: read (the mode's objects), validate, measure the due gates, decide ({@link
 * ModeEngine}, pure), apply ({@link ModeApplier}), aggregate the status once ({@link ModeStatus}),
 * write it and its events, then remove a handled action annotation.
 */
final class ModeFlow {
  private final ReconcileFlow flow;
  private final OperatorSettings settings;
  private final ModeEngine engine;
  private final GateMeasurer gates;
  private final ModeApplier applier = new ModeApplier();

  ModeFlow(ReconcileFlow flow, OperatorSettings settings, ModeEngine engine, GateMeasurer gates) {
    this.flow = flow;
    this.settings = settings;
    this.engine = engine;
    this.gates = gates;
  }

  Duration run(ModelDeployment md, Context<ModelDeployment> ctx) {
    ModelDeploymentSpec spec = md.getSpec();
    DeploymentMode mode = spec.modeOrDefault();
    ModeReader.Policy policy = ModeReader.policy(md, ctx);
    List<String> problems =
        ModeValidator.validate(
            spec,
            new ModeValidator.World(
                md.getMetadata().getNamespace(),
                policy.spec(),
                policy.missing(),
                settings.defaultPrometheus(),
                settings.edgeEnabled()));
    ModeObserved observed = null;
    if (problems.isEmpty()) {
      observed =
          mode == DeploymentMode.Batch ? ModeReader.batch(md, ctx) : ModeReader.edge(md, ctx);
    }
    RolloutSnapshot snapshot = snapshot(md, policy, problems);
    if (observed != null) {
      snapshot = gates.measure(md, snapshot, engine.gatesDue(snapshot, observed), ctx);
    }
    ModeDecision d = engine.decide(snapshot, observed);
    Instant now = flow.now();
    ModelDeploymentStatus status;
    if (d.decision().applyResources()) {
      String specRevision = snapshot.desiredRevision();
      boolean cronJob = false;
      if (d.intent() instanceof ModeIntent.Batch b) {
        applier.batch(md, specRevision, (BatchObserved) observed, b, ctx);
        cronJob = ((BatchObserved) observed).cron() != null;
      } else {
        applier.edge(md, specRevision, (EdgeObserved) observed, (ModeIntent.Edge) d.intent(), ctx);
      }
      status =
          ModeStatus.applied(
              d.decision().status(), d.decision().facts(), mode, spec.batch, cronJob, now);
    } else {
      status =
          StatusAggregator.invalid(d.decision().status(), snapshot.generation(), problems, now);
    }
    Duration next = d.decision().requeueAfter();
    ModelDeployment current = flow.publish(md, status, ctx);
    gates.recordMetrics(md, snapshot, status);
    if (d.decision().actionConsumed()
        && !flow.clearAction(current, snapshot.action(), status, ctx)) {
      next =
          next == null || next.compareTo(ReconcileFlow.ACTION_RETRY) > 0
              ? ReconcileFlow.ACTION_RETRY
              : next;
    }
    return next;
  }

  private static RolloutSnapshot snapshot(
      ModelDeployment md, ModeReader.Policy policy, List<String> problems) {
    ModelDeploymentSpec spec = md.getSpec();
    String revision = null;
    try {
      revision = RevisionHash.of(spec);
    } catch (RuntimeException e) {
      // an invalid spec: reported by the validator
    }
    Map<String, String> annotations = md.getMetadata().getAnnotations();
    return new RolloutSnapshot(
        md.getMetadata().getGeneration() == null ? 0 : md.getMetadata().getGeneration(),
        md.getMetadata().getResourceVersion(),
        spec.model == null ? null : spec.model.version,
        revision,
        1, // the modes have no replicas to scale; a version is never held for want of pods
        spec.pausedOrDefault(),
        policy.spec(),
        false,
        problems,
        Map.of(),
        md.getStatus(),
        annotations == null ? null : annotations.get(Labels.ACTION_ANNOTATION),
        Map.of());
  }
}
