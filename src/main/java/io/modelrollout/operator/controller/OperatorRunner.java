package io.modelrollout.operator.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.modelrollout.operator.analysis.MetricProvider;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.telemetry.RolloutMetrics;
import io.modelrollout.operator.telemetry.SdkMetricsFilter;
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
  private final boolean perResourceSdkMetrics;

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
      @ConfigProperty(name = "modelrollout.reconcile-threads", defaultValue = "20") int threads,
      @ConfigProperty(name = "modelrollout.resync-interval", defaultValue = "5m")
          java.time.Duration resync,
      @ConfigProperty(name = "modelrollout.metrics.per-resource-sdk", defaultValue = "false")
          boolean perResourceSdkMetrics) {
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
    this.perResourceSdkMetrics = perResourceSdkMetrics;
  }

  void start(@Observes StartupEvent event) {
    Operator op =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withConcurrentReconciliationThreads(threads)
                  .withStopOnInformerErrorDuringStartup(true)
                  .withResourceCloner(new SharedPrimary())
                  .withMetrics(sdkMetrics());
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
          } else {
            // one informer: its cache can be lean
            c.withItemStore(LeanItemStore.withoutManagedFields());
          }
          c.withReconciliationMaxInterval(resync);
        });
    LOG.infof(
        "starting the ModelDeployment controller (namespaces: %s, leader election: %s, default Prometheus: %s)",
        watched.isEmpty() ? "all" : watched,
        leaderElection ? "on, as " + election.identity() : "off",
        settings.defaultPrometheus() == null ? "none" : settings.defaultPrometheus());
    if (settings
        .edgeEnabled()) { // issue 12: node labels of Edge ModelDeployments deleted meanwhile
      Runnable sweep = () -> sweepEdgeLabels(watched);
      if (leaderElection) {
        election.onLeading(() -> new Thread(sweep, "edge-label-sweep").start());
      }
      op.start();
      if (!leaderElection) {
        sweep.run();
      }
    } else {
      op.start();
    }
    operator = op;
    forgetDeleted(watched);
  }

  private void sweepEdgeLabels(Set<String> watched) {
    try {
      EdgeCleanup.sweep(client, watched);
    } catch (RuntimeException e) {
      LOG.warnf("could not remove the node labels of deleted ModelDeployments: %s", e.getMessage());
    }
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
            boolean edge =
                md.getSpec() != null
                    && md.getSpec().modeOrDefault()
                        == io.modelrollout.operator.api.DeploymentMode.Edge;
            if (edge && settings.edgeEnabled() && (!leaderElection || election.leading())) {
              try {
                EdgeCleanup.deleted(
                    client, md.getMetadata().getNamespace(), md.getMetadata().getName());
              } catch (RuntimeException e) {
                LOG.warnf(
                    "could not remove the node labels of %s/%s: %s",
                    md.getMetadata().getNamespace(), md.getMetadata().getName(), e.getMessage());
              }
            }
          }
        };
    // this informer only tells deletions: its cache keeps names and the mode, not whole objects
    if (watched.isEmpty()) {
      informDeletions(client.resources(ModelDeployment.class).inAnyNamespace(), handler);
    } else {
      watched.forEach(
          ns -> informDeletions(client.resources(ModelDeployment.class).inNamespace(ns), handler));
    }
  }

  private static void informDeletions(
      io.fabric8.kubernetes.client.dsl.Informable<ModelDeployment> source,
      io.fabric8.kubernetes.client.informers.ResourceEventHandler<ModelDeployment> handler) {
    var informer = source.runnableInformer(0);
    informer.itemStore(
        new LeanItemStore<ModelDeployment>(
            md -> {
              md.setStatus(null);
              if (md.getSpec() != null) {
                md.getSpec().template = null;
              }
            }));
    informer.addEventHandler(handler);
    informer.run(); // returns once the informer has listed
  }

  /**
   * The SDK's metrics per controller; per ModelDeployment only when asked
   * (MRO_PER_RESOURCE_SDK_METRICS): a timer with a histogram per object grows the heap and the
   * metrics page by thousands of series at scale, and modelrollout_* already has each
   * ModelDeployment. The SDK tags some meters per object in either mode: {@link SdkMetricsFilter}
   * folds them.
   */
  private MicrometerMetrics sdkMetrics() {
    if (perResourceSdkMetrics) {
      return MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry).build();
    }
    registry.config().meterFilter(new SdkMetricsFilter());
    return MicrometerMetrics.newMicrometerMetricsBuilder(registry).build();
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
