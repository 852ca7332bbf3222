package io.modelrollout.operator.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.modelrollout.operator.analysis.MetricProvider;
import io.modelrollout.operator.controller.ModelDeploymentReconciler;
import io.modelrollout.operator.controller.OperatorSettings;
import io.modelrollout.operator.controller.SharedPrimary;
import io.modelrollout.operator.controller.Wiring;
import io.modelrollout.operator.telemetry.RolloutMetrics;
import java.time.Clock;
import java.time.Duration;

/**
 * The operator as it runs in production (the same reconciler and Java Operator SDK), in the test
 * JVM against the test API server, watching one namespace, with a client that counts requests.
 */
public final class OperatorHarness implements AutoCloseable {
  public final KubernetesClient client;
  public final RequestCounter requests = new RequestCounter();
  public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Operator operator;
  private final ModelDeploymentReconciler reconciler;

  private OperatorHarness(
      io.fabric8.kubernetes.client.Config config,
      String namespace,
      OperatorSettings settings,
      MetricProvider provider) {
    this(config, namespace, settings, provider, 10);
  }

  private OperatorHarness(
      io.fabric8.kubernetes.client.Config config,
      String namespace,
      OperatorSettings settings,
      MetricProvider provider,
      int reconcileThreads) {
    this.client =
        new KubernetesClientBuilder()
            .withConfig(config)
            .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("counter", requests))
            .build();
    // an informer's first list can meet a connection the API server just closed (seen under
    // load on 2 cores): the operator does not start then, and a new attempt does
    Operator op;
    ModelDeploymentReconciler r;
    for (int attempt = 1; ; attempt++) {
      op =
          new Operator(
              o ->
                  o.withKubernetesClient(client)
                      .withCloseClientOnStop(false)
                      .withConcurrentReconciliationThreads(reconcileThreads)
                      .withResourceCloner(new SharedPrimary())
                      .withStopOnInformerErrorDuringStartup(true));
      r = Wiring.create(Clock.systemUTC(), settings, provider, new RolloutMetrics(registry));
      op.register(r, c -> c.settingNamespaces(namespace));
      try {
        op.start();
        break;
      } catch (io.javaoperatorsdk.operator.OperatorException e) {
        op.stop();
        r.close();
        if (attempt == 3) {
          throw e;
        }
        registry.clear();
      }
    }
    this.operator = op;
    this.reconciler = r;
  }

  public static OperatorHarness start(String namespace, MetricProvider provider) {
    return new OperatorHarness(
        TestCluster.config(),
        namespace,
        new OperatorSettings("http://prometheus.invalid:9090", Duration.ofSeconds(2)),
        provider);
  }

  public static OperatorHarness start(
      String namespace, OperatorSettings settings, MetricProvider provider) {
    return new OperatorHarness(TestCluster.config(), namespace, settings, provider);
  }

  /** An operator with few reconcile threads, to show what holds them. */
  public static OperatorHarness start(
      String namespace, OperatorSettings settings, MetricProvider provider, int reconcileThreads) {
    return new OperatorHarness(
        TestCluster.config(), namespace, settings, provider, reconcileThreads);
  }

  /** An operator against another API server. */
  public static OperatorHarness start(
      io.fabric8.kubernetes.client.Config config, String namespace) {
    return new OperatorHarness(
        config,
        namespace,
        new OperatorSettings(null, Duration.ofSeconds(2)),
        new ScriptedMetrics());
  }

  /** Waits until the operator's events so far were sent: they leave off the reconcile thread. */
  public void flushEvents() {
    if (!reconciler.flushEvents(java.time.Duration.ofSeconds(10))) {
      throw new IllegalStateException("events not sent within 10 s");
    }
  }

  @Override
  public void close() {
    operator.stop();
    reconciler.close();
    client.close();
    if (!SharedPrimary.broken().isEmpty()) {
      throw new IllegalStateException(
          "a reconcile changed the cached ModelDeployment it was given: " + SharedPrimary.broken());
    }
  }
}
