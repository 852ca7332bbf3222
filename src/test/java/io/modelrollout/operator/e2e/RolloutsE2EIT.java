package io.modelrollout.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.modelrollout.operator.api.BlueGreenSpec;
import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.Condition;
import io.modelrollout.operator.api.HistoryEntry.Outcome;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.RolloutPolicy;
import io.modelrollout.operator.api.RolloutStrategy;
import io.modelrollout.operator.install.OperatorProcess;
import io.modelrollout.operator.status.Conditions;
import io.modelrollout.operator.testing.TestCluster;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The packaged operator as a process on the full local control plane, with the chart's RBAC and a
 * real Prometheus: rollouts as the cluster shows them (ReplicaSets, pods, EndpointSlices, the
 * route, status, events), through a Prometheus outage, a kube-apiserver and an etcd restart, and
 * deletions; and every example reaches its phase.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RolloutsE2EIT extends E2EBase {
  static OperatorProcess operator;

  @BeforeAll
  static void startOperator() throws Exception {
    // one replica, as the chart's default: no leader election, so an API server that is down
    // longer than the lease's renew deadline is waited out rather than a reason to exit
    operator = operator("rollouts", null, java.util.Map.of("MRO_LEADER_ELECTION", "false"));
  }

  @AfterAll
  static void stopOperator() throws Exception {
    operator.close();
  }

  /**
   * After every scenario (this operator watches all namespaces, so its caches are the lean ones):
   * no event handler failed. Such a failure drops the event it was handling, silently but for the
   * log; a trimmed ReplicaSet without annotations once made the SDK drop every ReplicaSet event.
   */
  @Test
  @Order(100)
  void noEventHandlerFailedAlongTheWay() throws Exception {
    assertThat(operator.log().lines().filter(l -> l.contains("failed invoking")))
        .as("event handler failures in the operator's log")
        .isEmpty();
  }

  @Test
  @Order(1)
  void aCanaryIsPromotedOnHealthyMetrics() throws Exception {
    try (E2EReport.Scenario report =
        E2EReport.start("canary promoted on healthy metrics", () -> operator.peakRssMiB())) {
      String ns = cluster.newNamespace("e2e-canary");
      admin
          .resource(
              canaryPolicy(
                  ns,
                  "canary",
                  CanaryStep.weight(25),
                  CanaryStep.analysis("errors"),
                  CanaryStep.weight(50),
                  CanaryStep.pause("2s")))
          .create();
      admin.resource(routed(ns, "fraud", "canary", 4)).create();
      ModelDeployment v1 =
          awaitMd(ns, "fraud", Duration.ofSeconds(60), m -> m.getStatus().phase == Phase.Healthy);
      String r1 = v1.getStatus().stable.revision;
      awaitEndpoints(ns, "fraud-stable", r1);
      assertThat(endpoints(ns, "fraud-stable")).hasSize(4);
      errors("fraud", "2.0.0", 0.001);
      try (RouteLog log = new RouteLog(admin, ns, "fraud")) {
        version(ns, "fraud", "2.0.0");
        ModelDeployment done =
            awaitMd(
                ns,
                "fraud",
                Duration.ofSeconds(90),
                m -> m.getStatus().canary == null && "2.0.0".equals(m.getStatus().stable.version));
        assertThat(done.getStatus().history.get(0).outcome).isEqualTo(Outcome.Promoted);
        assertThat(log.weights()).containsSubsequence(25, 50, 100, 0);
        String r2 = done.getStatus().stable.revision;
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    endpoints(ns, "fraud-stable").equals(podIps(ns, r2))
                        && podIps(ns, r2).size() == 4);
        ReplicaSet rs =
            admin
                .apps()
                .replicaSets()
                .inNamespace(ns)
                .withLabel("modelrollout.io/revision", r2)
                .list()
                .getItems()
                .get(0);
        assertThat(rs.getStatus().getReadyReplicas()).isEqualTo(4);
        eventually(
            ns,
            "RolloutPromoted",
            es ->
                assertThat(es)
                    .extracting(e -> e.getMessage())
                    .anyMatch(m -> m.contains("version 2.0.0")));
        eventually(ns, "GatePassed", es -> assertThat(es).isNotEmpty());
      }
      report.passed();
    }
  }

  @Test
  @Order(2)
  void aCanaryIsRolledBackOnAFailedGate() throws Exception {
    try (E2EReport.Scenario report =
        E2EReport.start("canary rolled back on a failed gate", () -> operator.peakRssMiB())) {
      String ns = cluster.newNamespace("e2e-rollback");
      admin
          .resource(
              canaryPolicy(
                  ns,
                  "canary",
                  CanaryStep.weight(25),
                  CanaryStep.analysis("errors"),
                  CanaryStep.weight(50)))
          .create();
      admin.resource(routed(ns, "risky", "canary", 2)).create();
      ModelDeployment v1 =
          awaitMd(ns, "risky", Duration.ofSeconds(60), m -> m.getStatus().phase == Phase.Healthy);
      errors("risky", "2.0.0", 0.5);
      version(ns, "risky", "2.0.0");
      ModelDeployment rolledBack =
          awaitMd(
              ns, "risky", Duration.ofSeconds(60), m -> m.getStatus().phase == Phase.RolledBack);
      assertThat(Conditions.find(rolledBack.getStatus().conditions, Condition.DEGRADED).message)
          .contains("gate errors failed: value 0.5, threshold <= 0.01");
      assertThat(RouteLog.canary(route(ns, "risky"))).isZero();
      String failed = rolledBack.getStatus().failedRevision;
      await().atMost(Duration.ofSeconds(30)).until(() -> podIps(ns, failed).isEmpty());
      awaitEndpoints(ns, "risky-stable", v1.getStatus().stable.revision);
      eventually(
          ns,
          "RolledBack",
          es ->
              assertThat(es)
                  .singleElement()
                  .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning")));
      report.passed();
    }
  }

  @Test
  @Order(3)
  void blueGreenWithPreviewManualPromotionAndAPostPromotionRollback() throws Exception {
    try (E2EReport.Scenario report =
        E2EReport.start(
            "blue-green: preview, manual promotion, post-promotion rollback",
            () -> operator.peakRssMiB())) {
      String ns = cluster.newNamespace("e2e-bluegreen");
      RolloutPolicy p = canaryPolicy(ns, "bg");
      p.getSpec().strategy = RolloutStrategy.BlueGreen;
      p.getSpec().canary = null;
      p.getSpec().blueGreen = new BlueGreenSpec();
      p.getSpec().blueGreen.previewReplicas = 1;
      p.getSpec().blueGreen.postPromotionGates = List.of("errors");
      p.getSpec().blueGreen.scaleDownDelay = "30s";
      admin.resource(p).create();
      admin.resource(routed(ns, "ranker", "bg", 3)).create();
      ModelDeployment v1 =
          awaitMd(ns, "ranker", Duration.ofSeconds(60), m -> m.getStatus().phase == Phase.Healthy);
      String r1 = v1.getStatus().stable.revision;
      errors("ranker", "2.0.0", 0.5); // fine in preview, bad once it takes traffic
      version(ns, "ranker", "2.0.0");
      ModelDeployment preview =
          awaitMd(ns, "ranker", Duration.ofSeconds(60), m -> m.getStatus().phase == Phase.Paused);
      String r2 = preview.getStatus().canary.revision;
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  endpoints(ns, "ranker-canary").equals(podIps(ns, r2))
                      && podIps(ns, r2).size() == 1);
      awaitEndpoints(ns, "ranker-stable", r1);
      assertThat(RouteLog.canary(route(ns, "ranker"))).as("no live traffic in preview").isZero();
      action(ns, "ranker", "promote");
      ModelDeployment back =
          awaitMd(
              ns, "ranker", Duration.ofSeconds(90), m -> m.getStatus().phase == Phase.RolledBack);
      assertThat(back.getStatus().history.get(0).reason).contains("gate errors failed");
      assertThat(back.getStatus().stable.revision).isEqualTo(r1);
      assertThat(RouteLog.canary(route(ns, "ranker"))).isZero();
      awaitEndpoints(ns, "ranker-stable", r1);
      eventually(ns, "ActionApplied", es -> assertThat(es).singleElement());
      report.passed();
    }
  }

  @Test
  @Order(4)
  void aPrometheusOutagePausesTheRolloutUntilPrometheusIsBack() throws Exception {
    try (E2EReport.Scenario report =
        E2EReport.start("Prometheus outage during analysis", () -> operator.peakRssMiB())) {
      String ns = cluster.newNamespace("e2e-outage");
      admin
          .resource(
              canaryPolicy(
                  ns,
                  "canary",
                  CanaryStep.weight(25),
                  CanaryStep.analysis("errors"),
                  CanaryStep.weight(50)))
          .create();
      admin.resource(routed(ns, "ads", "canary", 2)).create();
      awaitMd(ns, "ads", Duration.ofSeconds(60), m -> m.getStatus().phase == Phase.Healthy);
      errors("ads", "2.0.0", 0.001);
      prometheus.stop();
      try {
        version(ns, "ads", "2.0.0");
        ModelDeployment paused =
            awaitMd(ns, "ads", Duration.ofSeconds(60), m -> m.getStatus().phase == Phase.Paused);
        Condition c = Conditions.find(paused.getStatus().conditions, Condition.PAUSED);
        assertThat(c.reason).isEqualTo("GateInconclusive");
        assertThat(c.message).contains("unreachable");
        await("nothing promotes while Prometheus is down")
            .during(Duration.ofSeconds(5))
            .atMost(Duration.ofSeconds(8))
            .until(
                () ->
                    md(ns, "ads").getStatus().canary != null
                        && RouteLog.canary(route(ns, "ads")) == 25);
      } finally {
        prometheus.start();
      }
      awaitMd(
          ns,
          "ads",
          Duration.ofSeconds(60),
          m -> "2.0.0".equals(m.getStatus().stable.version) && m.getStatus().canary == null);
      report.passed();
    }
  }

  @Test
  @Order(5)
  void deletingAPolicyInUsePausesItsUsersAndChangesNoWeight() throws Exception {
    try (E2EReport.Scenario report =
        E2EReport.start("deleting a policy in use", () -> operator.peakRssMiB())) {
      String ns = cluster.newNamespace("e2e-policy");
      admin
          .resource(canaryPolicy(ns, "held", CanaryStep.weight(50), CanaryStep.pause(null)))
          .create();
      admin.resource(routed(ns, "search", "held", 2)).create();
      awaitMd(ns, "search", Duration.ofSeconds(60), m -> m.getStatus().phase == Phase.Healthy);
      version(ns, "search", "2.0.0");
      awaitMd(
          ns,
          "search",
          Duration.ofSeconds(60),
          m -> m.getStatus().phase == Phase.Paused && m.getStatus().weights.canary == 50);
      var routeBefore = route(ns, "search").getMetadata().getResourceVersion();
      var deploymentsBefore =
          versions(admin.apps().deployments().inNamespace(ns).list().getItems());
      admin.resources(RolloutPolicy.class).inNamespace(ns).withName("held").delete();
      ModelDeployment invalid =
          awaitMd(
              ns,
              "search",
              Duration.ofSeconds(30),
              m -> Conditions.isTrue(m.getStatus().conditions, Condition.INVALID_SPEC));
      assertThat(invalid.getStatus().phase).isEqualTo(Phase.Degraded);
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  route(ns, "search").getMetadata().getResourceVersion().equals(routeBefore)
                      && versions(admin.apps().deployments().inNamespace(ns).list().getItems())
                          .equals(deploymentsBefore));
      report.passed();
    }
  }

  @Test
  @Order(6)
  void deletingAModelDeploymentRemovesEverythingItOwns() throws Exception {
    try (E2EReport.Scenario report =
        E2EReport.start("deleting a ModelDeployment", () -> operator.peakRssMiB())) {
      String ns = cluster.newNamespace("e2e-delete");
      admin.resource(canaryPolicy(ns, "canary", CanaryStep.weight(50))).create();
      admin.resource(routed(ns, "gone", "canary", 2)).create();
      awaitMd(ns, "gone", Duration.ofSeconds(60), m -> m.getStatus().phase == Phase.Healthy);
      assertThat(admin.services().inNamespace(ns).list().getItems()).hasSize(3);
      admin.resources(ModelDeployment.class).inNamespace(ns).withName("gone").delete();
      await("the garbage collector removes what the ModelDeployment owned")
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  admin.apps().deployments().inNamespace(ns).list().getItems().isEmpty()
                      && admin.services().inNamespace(ns).list().getItems().isEmpty()
                      && route(ns, "gone") == null
                      && admin.pods().inNamespace(ns).list().getItems().isEmpty());
      report.passed();
    }
  }

  @Test
  @Order(7)
  void everyExampleReachesItsPhase() throws Exception {
    try (E2EReport.Scenario report =
        E2EReport.start(
            "every example reaches Healthy (kubectl apply)", () -> operator.peakRssMiB())) {
      Path examples = TestCluster.projectDir().resolve("examples");
      List<Path> all;
      try (Stream<Path> s = Files.walk(examples)) {
        all = s.filter(Files::isRegularFile).map(examples::relativize).sorted().toList();
      }
      for (String glob : NOT_APPLIED.keySet()) {
        var matcher = examples.getFileSystem().getPathMatcher("glob:" + glob);
        assertThat(all)
            .as("a skip-list entry that matches no file: %s", glob)
            .anyMatch(matcher::matches);
      }
      List<Path> files = all.stream().filter(f -> notApplied(f) == null).toList();
      assertThat(files)
          .as("every file in examples/ is applied or in the skip list with its reason")
          .allMatch(f -> f.toString().endsWith(".yaml"));
      System.out.printf(
          "[e2e] examples: %d applied, %d skipped by the list%n",
          files.size(), all.size() - files.size());
      List<Path> policies =
          files.stream().filter(f -> f.getFileName().toString().contains("policy")).toList();
      for (Path f : files) {
        if (policies.contains(f)) {
          continue; // applied with every other example
        }
        Path file = examples.resolve(f);
        List<HasMetadata> objects;
        try (InputStream in = Files.newInputStream(file)) {
          objects = admin.load(in).items();
        }
        assertThat(objects).as(f.toString()).isNotEmpty();
        List<String> named =
            objects.stream()
                .map(o -> o.getMetadata().getNamespace())
                .filter(n -> n != null)
                .distinct()
                .toList();
        if (!named.isEmpty()) {
          // setup for other tools (Argo CD, Tekton) in the namespaces the file names
          for (String n : named) {
            if (admin.namespaces().withName(n).get() == null) {
              kubectl("create", "namespace", n);
            }
          }
          kubectl("apply", "-f", file.toString());
          for (HasMetadata o : objects) {
            assertThat(admin.resource(o).get())
                .as("%s: %s", f, o.getMetadata().getName())
                .isNotNull();
          }
          continue;
        }
        String ns = cluster.newNamespace("e2e-example");
        for (Path p : policies) {
          kubectl("apply", "-n", ns, "-f", examples.resolve(p).toString());
        }
        kubectl("apply", "-n", ns, "-f", file.toString());
        List<String> names =
            objects.stream()
                .filter(o -> o.getKind().equals("ModelDeployment"))
                .map(o -> o.getMetadata().getName())
                .toList();
        for (String name : names) {
          awaitMd(ns, name, Duration.ofSeconds(60), m -> m.getStatus().phase == Phase.Healthy);
        }
      }
      report.passed();
    }
  }

  @Test
  @Order(8)
  void aRolloutGoesOnThroughAKubeApiserverAndAnEtcdRestart() throws Exception {
    try (E2EReport.Scenario report =
        E2EReport.start(
            "kube-apiserver and etcd restart mid-rollout", () -> operator.peakRssMiB())) {
      String ns = cluster.newNamespace("e2e-restart");
      admin
          .resource(
              canaryPolicy(
                  ns,
                  "slow",
                  CanaryStep.weight(25),
                  CanaryStep.pause("20s"),
                  CanaryStep.weight(50),
                  CanaryStep.pause("20s")))
          .create();
      admin.resource(routed(ns, "steady", "slow", 2)).create();
      awaitMd(ns, "steady", Duration.ofSeconds(60), m -> m.getStatus().phase == Phase.Healthy);
      version(ns, "steady", "2.0.0");
      awaitMd(
          ns,
          "steady",
          Duration.ofSeconds(60),
          m ->
              "pause 20s".equals(m.getStatus().currentStep) && m.getStatus().currentStepIndex == 1);
      cluster.restart("kube-apiserver");
      cluster.restart("etcd");
      admin.close();
      admin = cluster.admin();
      ModelDeployment done =
          awaitMd(
              ns,
              "steady",
              Duration.ofSeconds(120),
              m -> m.getStatus().canary == null && "2.0.0".equals(m.getStatus().stable.version));
      assertThat(done.getStatus().history.get(0).outcome).isEqualTo(Outcome.Promoted);
      eventually(ns, "RolloutStarted", es -> assertThat(es).as("no duplicate events").hasSize(1));
      eventually(
          ns, "RolloutPromoted", es -> assertThat(es).hasSize(2)); // 1.0.0 initial, then 2.0.0
      eventually(ns, "StepAdvanced", es -> assertThat(es).hasSize(4));
      assertThat(operator.alive()).isTrue();
      report.passed();
    }
  }

  /**
   * The files of examples/ that are not applied, each with why: they need CRDs this cluster does
   * not have, or are not Kubernetes manifests. Every entry must match a file; every other file is
   * applied.
   */
  static final Map<String, String> NOT_APPLIED =
      Map.of(
          "argocd/application.yaml", "an Argo CD Application: needs Argo CD's CRDs",
          "ci/tekton/pipeline.yaml", "a Tekton Task and Pipeline: need Tekton's CRDs",
          "ci/github-actions.yaml", "a GitHub Actions workflow, not a Kubernetes manifest",
          "ci/Containerfile", "the CI image's build file",
          "argocd/{health.lua,actions/*.lua}",
              "Argo CD Lua, applied as argocd-cm.yaml (generated from it; ArgoCdLuaTest runs it)");

  private static String notApplied(Path relative) {
    for (Map.Entry<String, String> e : NOT_APPLIED.entrySet()) {
      if (relative.getFileSystem().getPathMatcher("glob:" + e.getKey()).matches(relative)) {
        return e.getValue();
      }
    }
    return null;
  }

  private static List<String> versions(List<? extends HasMetadata> objects) {
    return objects.stream()
        .map(o -> o.getMetadata().getName() + "@" + o.getMetadata().getResourceVersion())
        .sorted()
        .toList();
  }

  private static void kubectl(String... args) throws Exception {
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(
                TestCluster.binDir().resolve("kubectl").toString(),
                "--kubeconfig",
                cluster.kubeconfig.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", args) + ": " + out);
    }
  }
}
