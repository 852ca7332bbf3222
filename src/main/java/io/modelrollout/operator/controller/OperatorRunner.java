package io.modelrollout.operator.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.modelrollout.operator.analysis.MetricProvider;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.telemetry.RolloutMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Starts the Java Operator SDK with the ModelDeployment reconciler when Quarkus starts. */
@ApplicationScoped
public class OperatorRunner {
  private static final Logger LOG = Logger.getLogger(OperatorRunner.class);

  private final KubernetesClient client;
  private final MeterRegistry registry;
  private final Clock clock;
  private final OperatorSettings settings;
  private final MetricProvider provider;
  private final RolloutMetrics metrics;
  private final Optional<String> namespaces;
  private final boolean leaderElection;
  private final String leaseName;
  private final Optional<String> leaseNamespace;
  private final int threads;
  private final java.time.Duration resync;
  private volatile Operator operator;
  private final LeaderElection election = new LeaderElection();
  private volatile ModelDeploymentReconciler reconciler;

  public OperatorRunner(
      KubernetesClient client,
      MeterRegistry registry,
      Clock clock,
      OperatorSettings settings,
      MetricProvider provider,
      RolloutMetrics metrics,
      @ConfigProperty(name = "modelrollout.watch-namespaces") Optional<String> namespaces,
      @ConfigProperty(name = "modelrollout.leader-election.enabled") boolean leaderElection,
      @ConfigProperty(name = "modelrollout.leader-election.lease-name") String leaseName,
      @ConfigProperty(name = "modelrollout.leader-election.lease-namespace")
          Optional<String> leaseNamespace,
      @ConfigProperty(name = "modelrollout.reconcile-threads", defaultValue = "10") int threads,
      @ConfigProperty(name = "modelrollout.resync-interval", defaultValue = "5m")
          java.time.Duration resync) {
    this.client = client;
    this.registry = registry;
    this.clock = clock;
    this.settings = settings;
    this.provider = provider;
    this.metrics = metrics;
    this.namespaces = namespaces;
    this.leaderElection = leaderElection;
    this.leaseName = leaseName;
    this.leaseNamespace = leaseNamespace;
    this.threads = threads;
    this.resync = resync;
  }

  void start(@Observes StartupEvent event) {
    Operator op =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withConcurrentReconciliationThreads(threads)
                  .withStopOnInformerErrorDuringStartup(true)
                  .withMetrics(
                      MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry)
                          .build());
              if (leaderElection) {
                o.withLeaderElectionConfiguration(
                    election.configuration(
                        leaseName, leaseNamespace.filter(s -> !s.isBlank()).orElse(null)));
              }
            });
    Set<String> watched = watchedNamespaces();
    reconciler = Wiring.create(clock, settings, provider, metrics);
    op.register(
        reconciler,
        c -> {
          if (!watched.isEmpty()) {
            c.settingNamespaces(watched);
          }
          c.withReconciliationMaxInterval(resync);
        });
    LOG.infof(
        "starting the ModelDeployment controller (namespaces: %s, leader election: %s, default Prometheus: %s)",
        watched.isEmpty() ? "all" : watched,
        leaderElection ? "on, as " + election.identity() : "off",
        settings.defaultPrometheus() == null ? "none" : settings.defaultPrometheus());
    op.start();
    operator = op;
    forgetDeleted(watched);
  }

  /**
   * Drops what is kept in memory for a deleted ModelDeployment: its metrics and gate queries (the
   * reconciler sees no deletion: there is no finalizer).
   */
  private void forgetDeleted(Set<String> watched) {
    var handler =
        new io.fabric8.kubernetes.client.informers.ResourceEventHandler<ModelDeployment>() {
          @Override
          public void onAdd(ModelDeployment md) {}

          @Override
          public void onUpdate(ModelDeployment before, ModelDeployment md) {}

          @Override
          public void onDelete(ModelDeployment md, boolean unknownFinalState) {
            reconciler.forget(md);
          }
        };
    if (watched.isEmpty()) {
      client.resources(ModelDeployment.class).inAnyNamespace().inform(handler);
    } else {
      watched.forEach(
          ns -> client.resources(ModelDeployment.class).inNamespace(ns).inform(handler));
    }
  }

  void stop(@Observes ShutdownEvent event) {
    election.stopping();
    if (operator != null) {
      operator.stop();
      if (leaderElection) {
        election.release(client, leaseNamespace(), leaseName);
      }
    }
    if (reconciler != null) {
      reconciler.close();
    }
  }

  /** Where the lease lives: the setting, or the namespace of the client (the pod's). */
  private String leaseNamespace() {
    return leaseNamespace
        .filter(s -> !s.isBlank())
        .orElseGet(() -> client.getConfiguration().getNamespace());
  }

  /** The running operator, or null before start. */
  public Operator operator() {
    return operator;
  }

  private Set<String> watchedNamespaces() {
    return namespaces
        .map(
            s ->
                Arrays.stream(s.split(","))
                    .map(String::trim)
                    .filter(x -> !x.isEmpty())
                    .collect(Collectors.toSet()))
        .orElse(Set.of());
  }
}
