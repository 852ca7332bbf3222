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

  @Test
  void onlyTheLeaderWritesAndTheLeaseChangesHandsAsItShould() throws Exception {
    long t0 = System.nanoTime();
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
    OperatorProcess a = operator("a", "operator-a");
    OperatorProcess b = operator("b", "operator-b");
    OperatorProcess c = null;
    long peak = 0;
    try {
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
      peak = Math.max(peak, leader.peakRssMiB());
      long killed = System.nanoTime();
      leader.kill();
      await().atMost(Duration.ofSeconds(25)).until(() -> !leader().equals(first));
      double takeover = (System.nanoTime() - killed) / 1e9;
      System.out.printf("[e2e] takeover after SIGKILL of the leader: %.1f s%n", takeover);
      awaitMd(
          ns,
          "fraud",
          Duration.ofSeconds(90),
          m -> m.getStatus().canary == null && "2.0.0".equals(m.getStatus().stable.version));
      assertThat(writers(ns)).contains(followerAccount);

      // SIGTERM the new leader while another waits: the lease is released at once
      c = operator("c", "operator-c");
      String second = leader();
      long terminated = System.nanoTime();
      int exit = follower.terminate(Duration.ofSeconds(15));
      double exitSeconds = (System.nanoTime() - terminated) / 1e9;
      await().atMost(Duration.ofSeconds(10)).until(() -> leader().startsWith("c-"));
      double handover = (System.nanoTime() - terminated) / 1e9;
      System.out.printf(
          "[e2e] SIGTERM: exit %d after %.1f s, handover after %.1f s%n",
          exit, exitSeconds, handover);
      assertThat(second).isNotEqualTo(first);
      assertThat(handover).as("released, not expired (lease 15 s)").isLessThan(10);

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
      await("the deposed leader exits").atMost(Duration.ofSeconds(30)).until(() -> !last.alive());
      peak = Math.max(peak, c.peakRssMiB());
    } finally {
      a.close();
      b.close();
      if (c != null) c.close();
    }
    E2EReport.scenario("leader election: SIGKILL, SIGTERM, a lost lease", t0, peak);
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
