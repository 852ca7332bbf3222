package io.modelrollout.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.install.OperatorProcess;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Two operator processes with leader election: only the leader writes (told apart by their
 * ServiceAccounts in the API server's audit log); a SIGKILLed leader is replaced within the lease
 * duration; a SIGTERMed one releases the lease and exits at once, so a rolling upgrade hands over
 * in about a second; and a leader that loses its lease exits rather than write beside another.
 */
class LeaderElectionE2EIT extends E2EBase {
  static final ObjectMapper JSON = new ObjectMapper();

  /** JOSDK 5.2.1's defaults, which the operator keeps: lease 15 s, renewed every 2 s. */
  static final Duration LEASE = Duration.ofSeconds(15);

  /**
   * The longest wait between two tries to renew or acquire the lease: fabric8's LeaderElector waits
   * the retry period (2 s) plus a jitter of up to 1.2 times it.
   */
  static final Duration RETRY = Duration.ofMillis(2000 + 2400);

  /** Polling the Lease, API latency, a busy 2-core machine. */
  static final Duration MARGIN = Duration.ofSeconds(2);

  @Test
  void onlyTheLeaderWritesAndTheLeaseChangesHandsAsItShould() throws Exception {
    E2EReport.Scenario report =
        E2EReport.start("leader election: SIGKILL, SIGTERM, a lost lease", () -> -1);
    OperatorProcess a = null;
    OperatorProcess b = null;
    OperatorProcess c = null;
    try (report) {
      Operators.account(cluster, "operator-a");
      Operators.account(cluster, "operator-b");
      Operators.account(cluster, "operator-c");
      String ns = cluster.newNamespace("e2e-leader");
      admin
          .resource(
              canaryPolicy(
                  ns,
                  "long",
                  CanaryStep.weight(20),
                  CanaryStep.pause("20s"),
                  CanaryStep.weight(50),
                  CanaryStep.pause("20s")))
          .create();
      admin.resource(routed(ns, "fraud", "long", 2)).create();
      a = operator("a", "operator-a");
      b = operator("b", "operator-b");
      awaitMd(ns, "fraud", Duration.ofSeconds(60), m -> m.getStatus().phase == Phase.Healthy);
      String first = leader();
      OperatorProcess leader = first.startsWith("a-") ? a : b;
      OperatorProcess follower = leader == a ? b : a;
      String leaderAccount = leader == a ? "operator-a" : "operator-b";
      String followerAccount = leader == a ? "operator-b" : "operator-a";

      version(ns, "fraud", "2.0.0");
      awaitMd(
          ns, "fraud", Duration.ofSeconds(60), m -> "pause 20s".equals(m.getStatus().currentStep));
      assertThat(writers(ns)).as("only the leader writes").containsExactly(leaderAccount);

      // SIGKILL the leader mid-rollout: the follower takes over within the lease duration
      report.rss(leader.peakRssMiB());
      long killed = System.nanoTime();
      leader.kill();
      // the lease was renewed at most RETRY before the kill and expires LEASE after that renewal;
      // the follower sees it at its next try, at most RETRY later
      Duration bound = LEASE.plus(RETRY).plus(MARGIN);
      await()
          .atMost(bound)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> !leader().equals(first));
      Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
      System.out.printf(
          "[e2e] takeover after SIGKILL of the leader: %.1f s (bound %d s)%n",
          takeover.toMillis() / 1e3, bound.toSeconds());
      assertThat(takeover)
          .as("taken over only once the lease expired, never beside a live leader")
          .isGreaterThan(LEASE.minus(RETRY).minus(MARGIN));
      awaitMd(
          ns,
          "fraud",
          Duration.ofSeconds(90),
          m -> m.getStatus().canary == null && "2.0.0".equals(m.getStatus().stable.version));
      assertThat(writers(ns)).contains(followerAccount);

      // SIGTERM the new leader while another waits: the lease is released at once
      c = operator("c", "operator-c");
      String second = leader();
      report.rss(follower.peakRssMiB());
      long terminated = System.nanoTime();
      int exit = follower.terminate(Duration.ofSeconds(15));
      double exitSeconds = (System.nanoTime() - terminated) / 1e9;
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> leader().startsWith("c-"));
      double handover = (System.nanoTime() - terminated) / 1e9;
      System.out.printf(
          "[e2e] SIGTERM: exit %d after %.1f s, handover after %.1f s%n",
          exit, exitSeconds, handover);
      assertThat(second).isNotEqualTo(first);
      assertThat(exit).as("a normal exit (0), or 143 for SIGTERM").isIn(0, 143);
      assertThat(exitSeconds)
          .as("the process ends at once, no hang in the JVM's shutdown")
          .isLessThan(5);
      // the README says about 3 s: c acquires at its next try (RETRY at most) after the release
      assertThat(handover)
          .as("released, not expired (lease %d s)", LEASE.toSeconds())
          .isLessThan(6);

      // a leader whose lease is taken from it exits rather than write beside another
      admin
          .resources(Lease.class)
          .inNamespace(FullCluster.RELEASE_NAMESPACE)
          .withName(Operators.FULLNAME)
          .patch(
              io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                  io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
              "{\"spec\":{\"holderIdentity\":\"someone-else\",\"leaseDurationSeconds\":60,"
                  + "\"renewTime\":\""
                  + java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX")
                      .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC))
                  + "\"}}");
      OperatorProcess last = c;
      report.rss(c.peakRssMiB());
      await("the deposed leader exits").atMost(Duration.ofSeconds(30)).until(() -> !last.alive());
      report.passed();
    } finally {
      for (OperatorProcess o : java.util.Arrays.asList(a, b, c)) {
        if (o != null) {
          o.close();
        }
      }
    }
  }

  private static String leader() {
    Lease l =
        admin
            .resources(Lease.class)
            .inNamespace(FullCluster.RELEASE_NAMESPACE)
            .withName(Operators.FULLNAME)
            .get();
    return l == null || l.getSpec().getHolderIdentity() == null
        ? ""
        : l.getSpec().getHolderIdentity();
  }

  /** The operator ServiceAccounts that wrote anything in {@code ns}, from the audit log. */
  private static Set<String> writers(String ns) throws Exception {
    Set<String> out = new HashSet<>();
    for (String line : cluster.auditLog()) {
      JsonNode e = JSON.readTree(line);
      String user = e.path("user").path("username").asText();
      if (!user.startsWith(
          "system:serviceaccount:" + FullCluster.RELEASE_NAMESPACE + ":operator-")) {
        continue;
      }
      if (ns.equals(e.path("objectRef").path("namespace").asText())
          && List.of("create", "update", "patch", "delete").contains(e.path("verb").asText())) {
        out.add(user.substring(user.lastIndexOf(':') + 1));
      }
    }
    return out;
  }
}
