package io.modelrollout.operator.controller;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.status.StatusAggregator;
import io.modelrollout.operator.status.StatusCopy;
import io.modelrollout.operator.telemetry.RolloutMetrics;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Turns a failed reconcile into what a user sees: a {@code Degraded} condition with reason {@code
 * ReconcileFailed} and the error, a Warning event when the error is new, a one-line log (a stack
 * trace only for the unexpected), and a retry with backoff. Expected outcomes (the namespace is
 * terminating, a conflict that a re-read resolves) are not errors.
 */
final class FailureHandler {
  private static final Logger LOG = Logger.getLogger(FailureHandler.class);
  private final Failures failures = new Failures();
  private final ReconcileFlow flow;
  private final RolloutMetrics metrics;

  FailureHandler(ReconcileFlow flow, RolloutMetrics metrics) {
    this.flow = flow;
    this.metrics = metrics;
  }

  void succeeded(ModelDeployment md) {
    failures.succeeded(ResourceID.fromResource(md));
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
      LOG.warnf(
          "%s: could not record the failure in status either: %s", who, ObjectWriter.why(again));
    }
  }
}
