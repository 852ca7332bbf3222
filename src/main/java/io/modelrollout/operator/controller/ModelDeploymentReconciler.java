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
import io.modelrollout.operator.api.TrafficProvider;
import io.modelrollout.operator.resources.Labels;
import io.modelrollout.operator.telemetry.RolloutMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The Java Operator SDK's entry point: runs a {@link ReconcileFlow} per event, hands failures to
 * the {@link FailureHandler}, and leaves a ModelDeployment that is being deleted to the garbage
 * collector (everything it owns carries its ownerReference).
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

  private final ReconcileFlow flow;
  private final FailureHandler failures;
  private final GateMeasurer gates;
  private final MeasurementEvents measured;
  private final MeasurementQueue queue;
  private final RolloutMetrics metrics;
  private final EventRecorder events;

  public ModelDeploymentReconciler(
      ReconcileFlow flow,
      EventRecorder events,
      GateMeasurer gates,
      MeasurementEvents measured,
      MeasurementQueue queue,
      RolloutMetrics metrics) {
    this.flow = flow;
    this.failures = new FailureHandler(flow, events, metrics);
    this.events = events;
    this.gates = gates;
    this.measured = measured;
    this.queue = queue;
    this.metrics = metrics;
  }

  /** Forgets what the reconciler keeps in memory for a ModelDeployment that was deleted. */
  public void forget(ModelDeployment md) {
    var id = io.javaoperatorsdk.operator.processing.event.ResourceID.fromResource(md);
    gates.forget(id, md.getMetadata().getUid());
    flow.forget(id);
    failures.forget(id);
    metrics.forget(md.getMetadata().getNamespace(), md.getMetadata().getName());
  }

  /** Stops the gate query threads, and the event lanes once what they hold is sent. */
  public void close() {
    queue.close();
    events.close();
  }

  /** Waits until the events emitted so far were sent (tests read them right after a status). */
  public boolean flushEvents(java.time.Duration atMost) {
    return events.flush(atMost);
  }

  @Override
  public UpdateControl<ModelDeployment> reconcile(
      ModelDeployment md, Context<ModelDeployment> ctx) {
    if (md.getMetadata().getDeletionTimestamp() != null) {
      return UpdateControl.noUpdate();
    }
    metrics.reconciled(md.getMetadata().getNamespace(), md.getMetadata().getName());
    String before = SharedPrimary.checking(md); // md is the cache's own object: never changed
    Duration next;
    try {
      next = flow.run(md, ctx);
      failures.succeeded(md);
    } catch (RuntimeException e) {
      next = failures.handle(md, ctx, e);
    }
    SharedPrimary.verify(before, md);
    UpdateControl<ModelDeployment> control = UpdateControl.noUpdate();
    return next == null ? control : control.rescheduleAfter(next.toMillis());
  }

  @Override
  public List<EventSource<?, ModelDeployment>> prepareEventSources(
      EventSourceContext<ModelDeployment> context) {
    String managed = Labels.MANAGED_BY + "=" + Labels.OPERATOR;
    // one informer per source when all namespaces are watched: its cache can be lean
    boolean oneInformer =
        io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration.allNamespacesWatched(
            context.getControllerConfiguration().getEffectiveNamespaces());
    var deploymentsConfig =
        InformerEventSourceConfiguration.from(Deployment.class, ModelDeployment.class)
            .withLabelSelector(managed)
            .withNamespacesInheritedFromController();
    var servicesConfig =
        InformerEventSourceConfiguration.from(Service.class, ModelDeployment.class)
            .withLabelSelector(managed)
            .withNamespacesInheritedFromController();
    if (oneInformer) {
      deploymentsConfig.withItemStore(new LeanItemStore<>());
      servicesConfig.withItemStore(new LeanItemStore<>());
    }
    var deployments = deploymentsConfig.build();
    var services = servicesConfig.build();
    List<EventSource<?, ModelDeployment>> sources = new java.util.ArrayList<>();
    sources.add(new InformerEventSource<>(deployments, context));
    sources.add(new InformerEventSource<>(services, context));
    sources.add(RevisionReplicaSets.create(context, oneInformer));
    sources.add(PolicyEventSource.create(context));
    sources.addAll(ModeEventSources.create(context, flow.settings().edgeEnabled())); // issue 12
    sources.add(measured);
    Set<TrafficProvider> installed;
    try {
      installed = new ProviderDiscovery(java.time.Clock.systemUTC()).installed(context.getClient());
    } catch (RuntimeException e) {
      installed = Set.of(); // watched from the first reconcile that can tell
    }
    for (TrafficProvider p : List.of(TrafficProvider.GatewayAPI, TrafficProvider.Istio)) {
      if (installed.contains(p)) {
        sources.add(RouteEventSources.create(p, context));
      }
    }
    return sources;
  }
}
