package io.modelrollout.operator.controller;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
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

  private void stoppedLeading() {
    if (stopping.get()) {
      LOG.infof("%s released the lease", identity);
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
