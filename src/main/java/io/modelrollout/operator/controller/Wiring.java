package io.modelrollout.operator.controller;

import io.micrometer.core.instrument.MeterRegistry;
import io.modelrollout.operator.analysis.MetricProvider;
import io.modelrollout.operator.analysis.prometheus.PrometheusProvider;
import io.modelrollout.operator.rollout.RolloutEngine;
import io.modelrollout.operator.telemetry.RolloutMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** CDI producers: the parts of the reconciler, built from configuration. */
@ApplicationScoped
public class Wiring {
  @Produces
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }

  @Produces
  @Singleton
  OperatorSettings settings(
      @ConfigProperty(name = "modelrollout.prometheus.address") Optional<String> prometheus,
      @ConfigProperty(name = "modelrollout.prometheus.timeout", defaultValue = "10s")
          Duration timeout,
      @ConfigProperty(name = "modelrollout.prometheus.concurrency", defaultValue = "8")
          int concurrency,
      @ConfigProperty(name = "modelrollout.edge.enabled", defaultValue = "false") boolean edge,
      @ConfigProperty(name = "modelrollout.status.flush-interval", defaultValue = "10s")
          Duration flush,
      @ConfigProperty(name = "modelrollout.prometheus.token") Optional<String> token) {
    return new OperatorSettings(
        prometheus.filter(s -> !s.isBlank()).orElse(null),
        timeout,
        concurrency,
        edge,
        flush,
        token.map(String::strip).filter(s -> !s.isEmpty()).orElse(null));
  }

  @Produces
  @Singleton
  MetricProvider metricProvider() {
    return new PrometheusProvider();
  }

  @Produces
  @Singleton
  RolloutMetrics rolloutMetrics(MeterRegistry registry) {
    return new RolloutMetrics(registry);
  }

  /** Builds a reconciler; tests call this with their own clock, provider and registry. */
  public static ModelDeploymentReconciler create(
      Clock clock, OperatorSettings settings, MetricProvider provider, RolloutMetrics metrics) {
    MeasurementEvents measured = new MeasurementEvents();
    MeasurementQueue queue = new MeasurementQueue(settings.queryConcurrency(), measured);
    GateMeasurer gates = new GateMeasurer(provider, metrics, new GateTargets(settings), queue);
    EventRecorder events = new EventRecorder(clock);
    metrics.eventsDropped(events, EventRecorder::dropped);
    ReconcileFlow flow =
        new ReconcileFlow(
            new WorldReader(new ProviderDiscovery(clock)),
            settings,
            new RolloutEngine(clock),
            gates,
            events,
            metrics,
            clock);
    return new ModelDeploymentReconciler(flow, events, gates, measured, queue, metrics);
  }
}
