package io.modelrollout.operator.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.modelrollout.operator.analysis.MetricProvider;
import io.modelrollout.operator.telemetry.RolloutMetrics;
import io.modelrollout.operator.testing.TestCluster;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * {@link OperatorRunner} started as Quarkus starts it, for API-server tests of what only it does
 * (the deletion informer, the start-up sweep of node labels): one namespace, no leader election.
 */
public final class StartedRunner implements AutoCloseable {
  private final KubernetesClient client;
  private final OperatorRunner runner;

  private StartedRunner(String namespace, OperatorSettings settings, MetricProvider provider) {
    client = TestCluster.client();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    runner =
        new OperatorRunner(
            client,
            registry,
            Clock.systemUTC(),
            settings,
            provider,
            new RolloutMetrics(registry),
            Optional.of(namespace),
            false,
            "unused",
            Optional.empty(),
            4,
            Duration.ofMinutes(5),
            false);
    runner.start(null);
  }

  /** Returns once the operator runs (and, without leader election, its start-up sweep ran). */
  public static StartedRunner start(
      String namespace, OperatorSettings settings, MetricProvider provider) {
    return new StartedRunner(namespace, settings, provider);
  }

  @Override
  public void close() {
    runner.stop(null);
    client.close();
  }
}
