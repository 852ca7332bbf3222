package io.modelrollout.operator.controller;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.modelrollout.operator.api.DeploymentMode;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.resources.Labels;
import io.modelrollout.operator.rollout.ModeEngine;
import io.modelrollout.operator.rollout.RolloutDecision;
import io.modelrollout.operator.rollout.RolloutEngine;
import io.modelrollout.operator.rollout.RolloutSnapshot;
import io.modelrollout.operator.status.EventSpec;
import io.modelrollout.operator.status.StatusAggregator;
import io.modelrollout.operator.status.StatusCopy;
import io.modelrollout.operator.status.StatusEvents;
import io.modelrollout.operator.telemetry.RolloutMetrics;
import io.modelrollout.operator.validation.SpecValidator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * One reconcile of a ModelDeployment, as one straight line: read, validate, measure the gates that
 * are due, decide (pure), apply in the documented order ({@link Applier}), aggregate the status
 * once, write it and its events, and only then remove a handled action annotation.
 */
public class ReconcileFlow {
  private static final Logger LOG = Logger.getLogger(ReconcileFlow.class);
  static final Duration STALE_ROUTE_RETRY = Duration.ofSeconds(30);
  static final Duration ACTION_RETRY = Duration.ofSeconds(5);
  static final Duration FLUSH_MIN = Duration.ofMillis(50);

  /** A wake-up this much before a scheduled measurement is still left to it. */
  static final Duration EARLY = Duration.ofMillis(100);

  private final WorldReader reader;
  private final OperatorSettings settings;
  private final RolloutEngine engine;
  private final GateMeasurer gates;
  private final Applier applier = new Applier();
  private final StatusWriter writer = new StatusWriter();
  private final EventRecorder events;
  private final RolloutMetrics metrics;
  private final Clock clock;
  private final ModeFlow modes; // Batch and Edge (issue 12)
  private final StatusThrottle throttle;

  public ReconcileFlow(
      WorldReader reader,
      OperatorSettings settings,
      RolloutEngine engine,
      GateMeasurer gates,
      EventRecorder events,
      RolloutMetrics metrics,
      Clock clock) {
    this.reader = reader;
    this.settings = settings;
    this.engine = engine;
    this.gates = gates;
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
    this.modes = new ModeFlow(this, settings, new ModeEngine(clock), gates);
    this.throttle = new StatusThrottle(settings.statusFlushInterval());
  }

  /** Forgets what is held for a ModelDeployment that is gone. */
  void forget(io.javaoperatorsdk.operator.processing.event.ResourceID id) {
    throttle.forget(id);
  }

  OperatorSettings settings() {
    return settings;
  }

  /** Runs the reconcile; returns when to look again (null: on the next event). */
  public Duration run(ModelDeployment md, Context<ModelDeployment> ctx) {
    if (md.getSpec().modeOrDefault() != DeploymentMode.Online) {
      return modes.run(md, ctx);
    }
    ModelDeployment cached = md;
    md = throttle.overlay(cached); // gate measurements not written yet are where this one starts
    Observed world = reader.read(md, ctx);
    List<String> problems = SpecValidator.validate(md.getSpec(), facts(world));
    RolloutSnapshot snapshot = WorldReader.snapshot(world, problems);
    snapshot = gates.measure(md, snapshot, engine.gatesDue(snapshot), ctx);
    RolloutDecision decision = engine.decide(snapshot);
    Instant decided = clock.instant(); // requeueAfter counts from here
    Instant now = now();
    ModelDeploymentStatus status;
    Duration next = decision.requeueAfter();
    boolean staleLeft = false;
    if (decision.applyResources()) {
      Applier.Result applied = applier.apply(world, snapshot, decision, ctx);
      staleLeft = !applied.staleRoutes().isEmpty();
      status =
          StatusAggregator.applied(
              decision.status(),
              decision.facts(),
              applied.weights(decision.split()),
              applied.staleRoutes(),
              Labels.selectorText(md, decision.stableRevision()),
              AutoscalingState.of(md, decision, ctx),
              now);
    } else {
      status = StatusAggregator.invalid(decision.status(), snapshot.generation(), problems, now);
    }
    ModelDeployment current = publish(cached, md, status, decision.settling(), ctx);
    gates.recordMetrics(md, snapshot, status);
    if (decision.applyResources()) {
      next = scheduleGates(md, snapshot, status, decided, next, ctx);
      if (staleLeft) { // after scheduleGates: a retry of its own, not for a gate to postpone
        next = next == null || next.compareTo(STALE_ROUTE_RETRY) > 0 ? STALE_ROUTE_RETRY : next;
      }
    }
    Duration flush = throttle.flushIn(cached, clock.instant());
    if (flush != null) {
      Duration soon = flush.compareTo(FLUSH_MIN) < 0 ? FLUSH_MIN : flush;
      next = next == null || next.compareTo(soon) > 0 ? soon : next;
    }
    if (decision.actionConsumed() && !clearAction(current, snapshot.action(), status, ctx)) {
      next = next == null || next.compareTo(ACTION_RETRY) > 0 ? ACTION_RETRY : next;
    }
    return next;
  }

  /**
   * Schedules each gate's next measurement at its due time; its answer starts the reconcile that
   * takes it, so no timer needs to wake this ModelDeployment for it. When the engine's wake-up
   * ({@code next}, counted from {@code decided}) is for the first of them, none of them is due yet
   * and nothing else is due before, the requeue becomes a safety net: the time by which every
   * scheduled measurement has answered or timed out (each completion reconciles first, and looks at
   * every deadline again). A measurement already due keeps the engine's requeue.
   */
  private Duration scheduleGates(
      ModelDeployment md,
      RolloutSnapshot snapshot,
      ModelDeploymentStatus status,
      Instant decided,
      Duration next,
      Context<ModelDeployment> ctx) {
    var dues = engine.gatesNext(snapshot, status);
    if (dues.isEmpty()) {
      return next;
    }
    Instant exact = clock.instant();
    Instant answered = gates.schedule(md, status, dues, exact, ctx);
    Instant first = dues.values().stream().min(Instant::compareTo).orElseThrow();
    if (answered != null
        && next != null
        && first.isAfter(exact)
        && !decided.plus(next).isBefore(first.minus(EARLY))) {
      return Duration.between(exact, answered);
    }
    return next;
  }

  /**
   * Writes {@code status} and the events its change tells, if it changed; a change of gate
   * measurements only, or what a settling step observed, may wait ({@link StatusThrottle}), and
   * scale-downs that are done alone wait for the next write. {@code md} is {@code cached} with what
   * is held for it.
   */
  private ModelDeployment publish(
      ModelDeployment cached,
      ModelDeployment md,
      ModelDeploymentStatus status,
      boolean settling,
      Context<ModelDeployment> ctx) {
    Instant exact = clock.instant();
    boolean changed =
        StatusWriter.changed(md.getStatus(), status)
            && !StatusThrottle.onlyExpiredScaleDowns(md.getStatus(), status, exact);
    if (!changed && !throttle.due(cached, exact)) {
      return md;
    }
    List<EventSpec> happened = StatusEvents.between(md.getStatus(), status);
    if (changed && throttle.hold(cached, md.getStatus(), status, !happened.isEmpty(), exact)) {
      return md;
    }
    if (changed
        && settling
        && md == cached
        && throttle.holdSettling(cached, status, exact.plus(RolloutEngine.SETTLE))) {
      announce(md, status, happened, ctx); // the events are told now, the status a moment later
      return md;
    }
    return write(md, status, happened, ctx);
  }

  /** Writes {@code status} and the events its change tells, if it changed. */
  ModelDeployment publish(
      ModelDeployment md, ModelDeploymentStatus status, Context<ModelDeployment> ctx) {
    if (!StatusWriter.changed(md.getStatus(), status)) {
      return md;
    }
    return write(md, status, StatusEvents.between(md.getStatus(), status), ctx);
  }

  private ModelDeployment write(
      ModelDeployment md,
      ModelDeploymentStatus status,
      List<EventSpec> happened,
      Context<ModelDeployment> ctx) {
    ModelDeployment updated;
    try {
      updated = writer.write(md, status, ctx);
    } catch (RuntimeException e) {
      throttle.failed(md);
      throw e;
    }
    throttle.written(md, clock.instant());
    announce(md, status, happened, ctx);
    return updated;
  }

  /** Emits the events of a status change and records its metrics. */
  private void announce(
      ModelDeployment md,
      ModelDeploymentStatus status,
      List<EventSpec> happened,
      Context<ModelDeployment> ctx) {
    happened.forEach(e -> events.emit(ctx.getClient(), md, e));
    metrics.record(
        md.getMetadata().getNamespace(),
        md.getMetadata().getName(),
        md.getStatus(),
        status,
        happened);
  }

  /**
   * Removes the handled annotation, then marks the action in status as no longer pending; false
   * when the annotation could not be removed yet (it is tried again soon, never applied again).
   */
  boolean clearAction(
      ModelDeployment md,
      String value,
      ModelDeploymentStatus status,
      Context<ModelDeployment> ctx) {
    ModelDeployment updated;
    try {
      updated = writer.removeAction(md, value, ctx);
    } catch (KubernetesClientException e) {
      // status says the action is applied: the next reconcile removes the annotation again
      LOG.infof(
          "%s/%s: could not remove the action annotation '%s' yet: %s",
          md.getMetadata().getNamespace(), md.getMetadata().getName(), value, ObjectWriter.why(e));
      return false;
    }
    if (status.lastAction != null && Boolean.TRUE.equals(status.lastAction.pending)) {
      ModelDeploymentStatus cleared = StatusCopy.of(status);
      cleared.lastAction.pending = null;
      try {
        writer.write(updated, cleared, ctx);
      } catch (KubernetesClientException e) {
        // the annotation is gone and the action applied; the next status write clears pending
        LOG.infof(
            "%s/%s: could not mark the action '%s' done in status yet: %s",
            md.getMetadata().getNamespace(),
            md.getMetadata().getName(),
            value,
            ObjectWriter.why(e));
      }
    }
    return true;
  }

  private SpecValidator.World facts(Observed o) {
    String kind =
        switch (o.provider()) {
          case GatewayAPI -> "HTTPRoute";
          case Istio -> "VirtualService";
          case ReplicaRatio -> "route";
        };
    return new SpecValidator.World(
        o.md().getMetadata().getNamespace(),
        o.policy(),
        o.missingPolicy(),
        o.installed(),
        settings.defaultPrometheus(),
        o.route().conflict(kind, o.md()));
  }

  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }
}
