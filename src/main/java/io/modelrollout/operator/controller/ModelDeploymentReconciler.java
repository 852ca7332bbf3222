package io.modelrollout.operator.controller;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.resources.Labels;
import io.modelrollout.operator.rollout.RolloutDecision;
import io.modelrollout.operator.rollout.RolloutEngine;
import io.modelrollout.operator.rollout.RolloutSnapshot;
import io.modelrollout.operator.status.EventSpec;
import io.modelrollout.operator.status.StatusEvents;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reconciles a ModelDeployment in a fixed order: read the world, validate, decide (pure engine),
 * apply owned objects, then write status and events only if something changed.
 */
@ControllerConfiguration(
    name = ModelDeploymentReconciler.NAME,
    fieldManager = OperatorSettings.FIELD_MANAGER,
    generationAwareEventProcessing = false,
    informer = @Informer(onUpdateFilter = PrimaryUpdateFilter.class),
    maxReconciliationInterval =
        @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
public class ModelDeploymentReconciler implements Reconciler<ModelDeployment> {
  public static final String NAME = "modeldeployment";

  private final WorldReader reader;
  private final RolloutEngine engine;
  private final GateMeasurer gates;
  private final ResourceApplier applier = new ResourceApplier();
  private final TrafficApplier traffic = new TrafficApplier();
  private final StatusWriter writer = new StatusWriter();
  private final EventRecorder events;
  private final RolloutMetrics metrics;

  public ModelDeploymentReconciler(
      WorldReader reader,
      RolloutEngine engine,
      GateMeasurer gates,
      EventRecorder events,
      RolloutMetrics metrics) {
    this.reader = reader;
    this.engine = engine;
    this.gates = gates;
    this.events = events;
    this.metrics = metrics;
  }

  @Override
  public UpdateControl<ModelDeployment> reconcile(
      ModelDeployment md, Context<ModelDeployment> ctx) {
    metrics.reconciled(md.getMetadata().getNamespace(), md.getMetadata().getName());
    RolloutSnapshot observed = reader.read(md, ctx);
    RolloutSnapshot snapshot = gates.measure(md, observed, engine.gatesDue(observed), ctx);
    RolloutDecision decision = engine.decide(snapshot);
    ModelDeployment current = md;
    if (decision.actionConsumed()) {
      current = writer.removeAction(md, snapshot.action(), ctx);
    }
    ModelDeploymentStatus status = decision.status();
    if (decision.applyResources()) {
      applier.apply(
          md,
          snapshot.desiredRevision(),
          decision,
          TrafficApplier.entrySelector(md, decision),
          ctx);
      traffic.apply(md, snapshot, decision, status, ctx);
      status.selector =
          Labels.NAME
              + "="
              + md.getMetadata().getName()
              + ","
              + Labels.REVISION
              + "="
              + decision.stableRevision();
    }
    if (StatusWriter.changed(md.getStatus(), status)) {
      writer.write(current, status, ctx);
      List<EventSpec> happened = StatusEvents.between(md.getStatus(), status);
      happened.forEach(e -> events.emit(ctx.getClient(), md, e));
      metrics.record(
          md.getMetadata().getNamespace(),
          md.getMetadata().getName(),
          md.getStatus(),
          status,
          happened);
      gates.recordMetrics(md, snapshot, status);
    }
    UpdateControl<ModelDeployment> control = UpdateControl.noUpdate();
    if (decision.requeueAfter() != null) {
      control.rescheduleAfter(decision.requeueAfter().toMillis());
    }
    return control;
  }

  @Override
  public List<EventSource<?, ModelDeployment>> prepareEventSources(
      EventSourceContext<ModelDeployment> context) {
    String managed = Labels.MANAGED_BY + "=" + Labels.OPERATOR;
    var deployments =
        InformerEventSourceConfiguration.from(Deployment.class, ModelDeployment.class)
            .withLabelSelector(managed)
            .withNamespacesInheritedFromController()
            .build();
    var services =
        InformerEventSourceConfiguration.from(Service.class, ModelDeployment.class)
            .withLabelSelector(managed)
            .withNamespacesInheritedFromController()
            .build();
    return List.of(
        new InformerEventSource<>(deployments, context),
        new InformerEventSource<>(services, context),
        PolicyEventSource.create(context));
  }
}
