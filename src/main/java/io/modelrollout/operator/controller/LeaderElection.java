package io.modelrollout.operator.controller;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Leader election for more than one replica. A replica that loses the lease while running exits at
 * once, so two replicas never write together; a replica that is stopping (SIGTERM, a rolling
 * upgrade) releases the lease and exits normally. The Java Operator SDK's own exit on a lost lease
 * is turned off: it calls System.exit from within the JVM's shutdown and hangs it.
 */
final class LeaderElection {
  private static final Logger LOG = Logger.getLogger(LeaderElection.class);
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final String identity;

  LeaderElection() {
    String host = System.getenv("HOSTNAME");
    // pods have unique host names; processes on one machine do not
    this.identity =
        (host == null || host.isBlank() ? "operator" : host)
            + "-"
            + UUID.randomUUID().toString().substring(0, 8);
  }

  LeaderElectionConfiguration configuration(String leaseName, String leaseNamespace) {
    return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(leaseName)
        .withLeaseNamespace(leaseNamespace)
        .withIdentity(identity)
        .withExitOnStopLeading(false)
        .withLeaderCallbacks(
            new LeaderCallbacks(
                () -> LOG.infof("%s leads: reconciling", identity),
                this::stoppedLeading,
                leader -> LOG.infof("the leader is %s", leader)))
        .build();
  }

  /** Called before the operator stops: losing the lease is then expected. */
  void stopping() {
    stopping.set(true);
  }

  String identity() {
    return identity;
  }

  /**
   * Gives the lease up if this replica holds it, so the next leader takes over at its next try
   * (seconds) instead of after the lease expires; as client-go does on a release.
   */
  void release(KubernetesClient client, String namespace, String name) {
    try {
      var leases = client.resources(Lease.class).inNamespace(namespace).withName(name);
      Lease lease = leases.get();
      if (lease == null
          || lease.getSpec() == null
          || !identity.equals(lease.getSpec().getHolderIdentity())) {
        return;
      }
      lease.getSpec().setHolderIdentity(null);
      lease.getSpec().setLeaseDurationSeconds(1);
      lease.getSpec().setRenewTime(ZonedDateTime.now(ZoneOffset.UTC));
      client.resource(lease).update(); // guarded by the resourceVersion just read
      LOG.infof("%s released the lease %s/%s", identity, namespace, name);
    } catch (RuntimeException e) {
      LOG.infof(
          "%s could not release the lease (it expires instead): %s", identity, e.getMessage());
    }
  }

  private void stoppedLeading() {
    if (stopping.get()) {
      LOG.infof("%s stopped leading", identity);
      return;
    }
    LOG.errorf(
        "%s lost the lease: exiting so that no two replicas reconcile at once; the Deployment"
            + " restarts this replica as a follower",
        identity);
    Thread exit = new Thread(() -> System.exit(1), "lost-lease-exit");
    exit.setDaemon(false);
    exit.start();
  }
}
