package io.modelrollout.operator.controller;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.modelrollout.operator.api.Condition;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.status.Conditions;
import io.modelrollout.operator.status.EventSpec;
import io.modelrollout.operator.status.Reasons;
import io.modelrollout.operator.status.StatusAggregator;
import io.modelrollout.operator.status.StatusCopy;
import io.modelrollout.operator.telemetry.RolloutMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Turns a failed reconcile into what a user sees: a {@code Degraded} condition with reason {@code
 * ReconcileFailed} and the error, a Warning event when the error is new (emitted directly when
 * status cannot be written either, so the failure never reaches only the log), a one-line log (a
 * stack trace only for the unexpected), and a retry with backoff. Expected outcomes (the namespace
 * is terminating, a conflict that a re-read resolves) are not errors.
 */
final class FailureHandler {
  private static final Logger LOG = Logger.getLogger(FailureHandler.class);
  private final Failures failures = new Failures();
  private final ReconcileFlow flow;
  private final EventRecorder events;
  private final RolloutMetrics metrics;

  /** The failure last told by an event alone, per ModelDeployment whose status is unwritable. */
  private final Map<ResourceID, String> toldByEvent = new ConcurrentHashMap<>();

  FailureHandler(ReconcileFlow flow, EventRecorder events, RolloutMetrics metrics) {
    this.flow = flow;
    this.events = events;
    this.metrics = metrics;
  }

  void succeeded(ModelDeployment md) {
    ResourceID id = ResourceID.fromResource(md);
    failures.succeeded(id);
    toldByEvent.remove(id);
  }

  /** Forgets a ModelDeployment that was deleted. */
  void forget(ResourceID id) {
    failures.succeeded(id);
    toldByEvent.remove(id);
  }

  /** Handles a failure; returns when to try again, or null to wait for the next event. */
  Duration handle(ModelDeployment md, Context<ModelDeployment> ctx, RuntimeException e) {
    String who = md.getMetadata().getNamespace() + "/" + md.getMetadata().getName();
    Failures.Kind kind = Failures.classify(e);
    if (kind == Failures.Kind.GONE) {
      LOG.debugf("%s: namespace is terminating; nothing to reconcile", who);
      return null;
    }
    int n = failures.failed(ResourceID.fromResource(md));
    metrics.reconcileFailed(
        md.getMetadata().getNamespace(),
        md.getMetadata().getName(),
        kind.name().toLowerCase(java.util.Locale.ROOT));
    Duration delay = Failures.backoff(n);
    String message =
        e instanceof ApplyException ? e.getMessage() : "reconcile failed: " + ObjectWriter.why(e);
    if (kind == Failures.Kind.CONFLICT && n <= Failures.CONFLICTS_TOLERATED) {
      LOG.infof("%s: %s; re-reading in %d ms", who, message, delay.toMillis());
      return delay;
    }
    if (kind == Failures.Kind.UNEXPECTED) {
      LOG.warnf(e, "%s: %s; retrying in %d ms", who, message, delay.toMillis());
    } else {
      LOG.warnf("%s: %s; retrying in %d ms", who, message, delay.toMillis());
    }
    surface(md, ctx, message, who);
    return delay;
  }

  private void surface(
      ModelDeployment md, Context<ModelDeployment> ctx, String message, String who) {
    long generation =
        md.getMetadata().getGeneration() == null ? 0 : md.getMetadata().getGeneration();
    Instant now = flow.now();
    ModelDeploymentStatus st =
        StatusAggregator.failed(StatusCopy.of(md.getStatus()), generation, message, now);
    try {
      flow.publish(md, st, ctx);
    } catch (RuntimeException again) {
      String why = ObjectWriter.why(again);
      LOG.warnf("%s: could not record the failure in status either: %s", who, why);
      tellByEvent(md, ctx, message, why);
    }
  }

  /**
   * With status unwritable the events that follow a status write never come: emits the Warning
   * directly, once per failure (again only when its message changes), unless status already tells
   * it.
   */
  private void tellByEvent(
      ModelDeployment md, Context<ModelDeployment> ctx, String message, String why) {
    ResourceID id = ResourceID.fromResource(md);
    Condition degraded =
        md.getStatus() == null
            ? null
            : Conditions.find(md.getStatus().conditions, Condition.DEGRADED);
    boolean inStatus =
        degraded != null
            && degraded.isTrue()
            && Reasons.RECONCILE_FAILED.equals(degraded.reason)
            && message.equals(degraded.message);
    if (inStatus || message.equals(toldByEvent.put(id, message))) {
      return;
    }
    events.emit(
        ctx.getClient(),
        md,
        EventSpec.warning(
            Reasons.RECONCILE_FAILED,
            message + " (status could not be written either: " + why + ")"));
  }
}
