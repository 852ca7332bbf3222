package io.modelrollout.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.modelrollout.operator.api.AutoscalingSpec;
import io.modelrollout.operator.api.BatchSpec;
import io.modelrollout.operator.api.BatchStatus;
import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.DeploymentMode;
import io.modelrollout.operator.api.EdgeSpec;
import io.modelrollout.operator.api.GateSpec;
import io.modelrollout.operator.api.HistoryEntry.Outcome;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.RolloutPolicy;
import io.modelrollout.operator.install.OperatorProcess;
import io.modelrollout.operator.testing.ExternalMetricsServer;
import io.modelrollout.operator.testing.Fixtures;
import io.modelrollout.operator.testing.TestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Batch and Edge modes and autoscaling, end to end on the full local control plane with the
 * real CronJob, Job, DaemonSet and HPA controllers, the scheduler, KWOK nodes (which complete Job
 * pods) and a real Prometheus: a batch version validated and switched, one whose validation Job
 * fails and stays out; an edge rollout over KWOK nodes (two NotReady) at 10%, 50% and 100% and a
 * rollback; an autoscaled canary whose autoscaler scales on an external metric, and a user's
 * autoscaler on the ModelDeployment's scale subresource.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModesE2EIT extends E2EBase {
  static OperatorProcess operator;
  static ExternalMetricsServer externalMetrics;

  @BeforeAll
  static void startOperator() throws Exception {
    operator = operator("modes", null, Map.of("MRO_LEADER_ELECTION", "false"));
    externalMetrics = new ExternalMetricsServer();
    externalMetrics.register(admin, FullCluster.RELEASE_NAMESPACE);
  }

  @AfterAll
  static void stopOperator() throws Exception {
    operator.close();
    externalMetrics.close();
  }

  // --- Batch ---

  @Test
  @Order(1)
  void aBatchVersionIsValidatedAndSwitchedAndAFailingOneStaysOut() throws Exception {
    try (E2EReport.Scenario report =
        E2EReport.start(
            "batch: validated and switched, a run, a failed validation stays out",
            () -> operator.peakRssMiB())) {
      String ns = cluster.newNamespace("e2e-batch");
      RolloutPolicy p = Fixtures.canaryPolicy(ns, "validated", 1, CanaryStep.analysis("accuracy"));
      GateSpec g =
          Fixtures.gate(
              "accuracy", "batch_accuracy{model=\"{{model}}\",version=\"{{version}}\"}", 1.0);
      g.max = null;
      g.min = 0.9;
      g.count = 1;
      p.getSpec().gates.add(g);
      admin.resource(p).create();
      ModelDeployment md =
          Fixtures.withPolicy(Fixtures.model(ns, "scorer", "1.0.0", 1), "validated");
      md.getSpec().model.name = "scorer";
      md.getSpec().mode = DeploymentMode.Batch;
      md.getSpec().batch = new BatchSpec();
      md.getSpec().batch.schedule = "0 3 * * *";
      md.getSpec().batch.input = "s3://data/transactions";
      md.getSpec().batch.output = "s3://scores/scorer";
      md.getSpec().batch.validation = new BatchSpec.Validation();
      md.getSpec().batch.validation.input = "s3://data/validation";
      md.getSpec().batch.validation.deadline = "15s";
      admin.resource(md).create();
      awaitMd(ns, "scorer", Duration.ofSeconds(60), m -> m.getStatus().phase == Phase.Healthy);
      assertThat(cron(ns).getMetadata().getLabels())
          .containsEntry("modelrollout.io/version", "1.0.0");

      // a validated version: the Job's pod completes (KWOK), its metric passes, the CronJob
      // switches
      errors("scorer", "2.0.0", 0); // (the exporter's per-version series; accuracy below)
      exporter.set("batch_accuracy{model=\"scorer\",version=\"2.0.0\"}", 0.97);
      version(ns, "scorer", "2.0.0");
      ModelDeployment v2 =
          awaitMd(
              ns,
              "scorer",
              Duration.ofSeconds(90),
              m -> "2.0.0".equals(m.getStatus().stable.version) && m.getStatus().canary == null);
      assertThat(v2.getStatus().batch.validation.outcome).isEqualTo(BatchStatus.Outcome.Succeeded);
      assertThat(v2.getStatus().history.get(0).reason).contains("succeeded");
      assertThat(cron(ns).getMetadata().getLabels())
          .containsEntry("modelrollout.io/version", "2.0.0");
      assertThat(cron(ns).getSpec().getSuspend()).isFalse();
      eventually(ns, "ValidationSucceeded", es -> assertThat(es).hasSize(1));

      // a run of the CronJob, as the schedule would start it: version 2.0.0, its own output
      kubectl("-n", ns, "create", "job", "--from=cronjob/scorer", "scorer-manual-1");
      ModelDeployment ran =
          awaitMd(
              ns,
              "scorer",
              Duration.ofSeconds(60),
              m ->
                  m.getStatus().batch.runs.stream()
                      .anyMatch(r -> r.outcome == BatchStatus.Outcome.Succeeded));
      assertThat(ran.getStatus().batch.runs.get(0).version).isEqualTo("2.0.0");
      assertThat(ran.getStatus().batch.runs.get(0).output)
          .isEqualTo("s3://scores/scorer/2.0.0/scorer-manual-1");
      assertThat(ran.getStatus().batch.lastSuccessfulRun).isNotNull();

      // a version whose validation Job never gets a node: its deadline fails it, 2.0.0 stays
      String cronVersion = cron(ns).getMetadata().getResourceVersion();
      patch(
          ns,
          "scorer",
          "{\"spec\":{\"model\":{\"version\":\"3.0.0\"},\"template\":{\"spec\":{\"nodeSelector\":"
              + "{\"e2e.modelrollout.io/nowhere\":\"true\"}}}}}");
      ModelDeployment failed =
          awaitMd(
              ns, "scorer", Duration.ofSeconds(90), m -> m.getStatus().phase == Phase.RolledBack);
      assertThat(failed.getStatus().stable.version).isEqualTo("2.0.0");
      assertThat(failed.getStatus().batch.validation.outcome).isEqualTo(BatchStatus.Outcome.Failed);
      assertThat(failed.getStatus().batch.validation.reason).startsWith("DeadlineExceeded");
      assertThat(failed.getStatus().history.get(0).outcome).isEqualTo(Outcome.RolledBack);
      assertThat(failed.getStatus().history.get(0).reason)
          .contains("logs: kubectl -n " + ns + " logs job/scorer-");
      assertThat(cron(ns).getMetadata().getResourceVersion()).isEqualTo(cronVersion);
      eventually(ns, "ValidationFailed", es -> assertThat(es).hasSize(1));
      report.passed();
    }
  }

  // --- Edge ---

  @Test
  @Order(2)
  void anEdgeRolloutMovesNodeByNodeSkipsNotReadyNodesAndRollsBack() throws Exception {
    try (E2EReport.Scenario report =
        E2EReport.start(
            "edge: 10% -> 50% -> 100% over KWOK nodes (2 NotReady), a node back, a rollback",
            () -> operator.peakRssMiB())) {
      String ns = cluster.newNamespace("e2e-edge");
      String fleet = ns;
      List<String> nodes = new ArrayList<>();
      String[] hw = {"a", "b", "c"};
      for (int i = 0; i < 10; i++) {
        nodes.add(edgeNode(fleet + "-" + i, fleet, hw[i % 3], i < 8));
      }
      ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
      List<String> crowded = new CopyOnWriteArrayList<>();
      Map<String, Integer> maxOnV2 = new HashMap<>();
      try {
        RolloutPolicy p =
            Fixtures.canaryPolicy(
                ns,
                "by-node",
                1,
                CanaryStep.nodes(10),
                CanaryStep.analysis("errors"),
                CanaryStep.pause("3s"), // KWOK readies a node at once: the pauses are sampled
                CanaryStep.nodes(50),
                CanaryStep.pause("4s"));
        GateSpec g = Fixtures.gate("errors", ERRORS, 0.01);
        g.count = 1;
        p.getSpec().gates.add(g);
        p.getSpec().progressDeadline = "1m";
        admin.resource(p).create();
        ModelDeployment md =
            Fixtures.withPolicy(Fixtures.model(ns, "kiosk", "1.0.0", 1), "by-node");
        md.getSpec().model.name = "kiosk";
        md.getSpec().mode = DeploymentMode.Edge;
        md.getSpec().edge = new EdgeSpec();
        md.getSpec().edge.nodeSelector = Map.of("e2e.modelrollout.io/fleet", fleet);
        EdgeSpec.EdgeToleration t = new EdgeSpec.EdgeToleration();
        t.key = "e2e.modelrollout.io/edge";
        t.operator = EdgeSpec.Operator.Exists;
        md.getSpec().edge.tolerations = List.of(t);
        md.getSpec().edge.topologyKey = "e2e.modelrollout.io/hw";
        md.getSpec().edge.maxUnavailableNodes = 3;
        admin.resource(md).create();
        ModelDeployment v1 =
            awaitMd(
                ns,
                "kiosk",
                Duration.ofSeconds(90),
                m -> m.getStatus().phase == Phase.Healthy && m.getStatus().edge.nodes.ready == 8);
        String r1 = v1.getStatus().stable.revision;
        assertThat(v1.getStatus().edge.nodes.skipped).isEqualTo(2);
        String key = "modelrollout.io/kiosk-revision";
        sampler.scheduleWithFixedDelay(
            () -> {
              try {
                Map<String, Long> perNode =
                    admin.pods().inNamespace(ns).list().getItems().stream()
                        .filter(x -> x.getSpec().getNodeName() != null)
                        .collect(
                            Collectors.groupingBy(
                                x -> x.getSpec().getNodeName(), Collectors.counting()));
                perNode.forEach(
                    (n, c) -> {
                      if (c > 1) crowded.add(n + "=" + c);
                    });
                var st = md(ns, "kiosk").getStatus();
                if (st.canary != null && st.currentStep != null) {
                  maxOnV2.merge(
                      st.currentStep, labeled(nodes, key, st.canary.revision).size(), Math::max);
                }
              } catch (RuntimeException e) {
                // the next sample
              }
            },
            0,
            250,
            TimeUnit.MILLISECONDS);

        errors("kiosk", "2.0.0", 0.001);
        version(ns, "kiosk", "2.0.0");
        ModelDeployment v2 =
            awaitMd(
                ns,
                "kiosk",
                Duration.ofSeconds(120),
                m -> "2.0.0".equals(m.getStatus().stable.version) && m.getStatus().canary == null);
        String r2 = v2.getStatus().stable.revision;
        assertThat(maxOnV2.get("pause 3s")).as("10%% of 10 nodes").isEqualTo(1);
        assertThat(maxOnV2.get("pause 4s")).as("50%% of 10 nodes").isEqualTo(5);
        assertThat(labeled(nodes, key, r2)).as("every Ready node").hasSize(8);
        assertThat(labeled(nodes, key, r1))
            .as("the NotReady nodes keep 1.0.0 until they are back")
            .containsExactlyInAnyOrder(nodes.get(8), nodes.get(9));
        awaitMd(ns, "kiosk", Duration.ofSeconds(30), m -> m.getStatus().edge.nodes.ready == 8);

        // a node that comes back gets the version in service. KWOK takes on a node only when it is
        // added, so this device re-registers: its Node goes (with the pods bound to it, as the pod
        // GC would remove them) and comes back under its name, Ready. EdgeModeIT covers a Node that
        // turns Ready again and keeps its labels.
        String returning = nodes.get(8);
        admin.nodes().withName(returning).delete();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> admin.nodes().withName(returning).get() == null);
        admin
            .pods()
            .inNamespace(ns)
            .withField("spec.nodeName", returning)
            .withGracePeriod(0)
            .delete();
        edgeNode(returning, fleet, hw[8 % 3], true);
        awaitMd(ns, "kiosk", Duration.ofSeconds(90), m -> m.getStatus().edge.nodes.ready == 9);
        assertThat(labeled(nodes, key, r2)).contains(nodes.get(8));

        // a version whose devices report errors: rolled back at 10%, every node on 2.0.0 again
        errors("kiosk", "3.0.0", 0.5);
        version(ns, "kiosk", "3.0.0");
        ModelDeployment back =
            awaitMd(
                ns, "kiosk", Duration.ofSeconds(90), m -> m.getStatus().phase == Phase.RolledBack);
        String r3 = back.getStatus().failedRevision;
        assertThat(back.getStatus().history.get(0).reason).contains("gate errors failed");
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    labeled(nodes, key, r3).isEmpty()
                        && labeled(nodes, key, r2).size() == 9
                        && admin.apps().daemonSets().inNamespace(ns).withName("kiosk-" + r3).get()
                            == null);
        assertThat(crowded).as("never two pods of the model on one node (maxSurge 0)").isEmpty();
        eventually(ns, "NodesSkipped", es -> assertThat(es).isNotEmpty());
      } finally {
        sampler.shutdownNow();
        admin.resources(ModelDeployment.class).inNamespace(ns).withName("kiosk").delete();
        nodes.forEach(n -> admin.nodes().withName(n).delete());
      }
      report.passed();
    }
  }

  // --- Autoscaling ---

  @Test
  @Order(3)
  void anAutoscaledCanaryFollowsTheAutoscalerAndAUsersAutoscalerScalesTheModel() throws Exception {
    try (E2EReport.Scenario report =
        E2EReport.start(
            "autoscaling: an external metric scales stable, the canary follows, the HPA moves;"
                + " a user's HPA on the scale subresource",
            () -> operator.peakRssMiB())) {
      String ns = cluster.newNamespace("e2e-autoscaled");
      admin
          .resource(
              Fixtures.canaryPolicy(ns, "canary", 1, CanaryStep.weight(20), CanaryStep.pause(null)))
          .create();
      externalMetrics.set("queue_depth_" + ns.replace('-', '_'), 60); // 60 / 10 per pod: 6 pods
      ModelDeployment md = Fixtures.withPolicy(Fixtures.model(ns, "ranker", "1.0.0", 2), "canary");
      md.getSpec().model.name = "ranker";
      md.getSpec().autoscaling = new AutoscalingSpec();
      md.getSpec().autoscaling.minReplicas = 1;
      md.getSpec().autoscaling.maxReplicas = 10;
      md.getSpec().autoscaling.metrics =
          List.of(external("queue_depth_" + ns.replace('-', '_'), 10));
      admin.resource(md).create();
      ModelDeployment scaled =
          awaitMd(
              ns,
              "ranker",
              Duration.ofSeconds(90),
              m ->
                  m.getStatus().phase == Phase.Healthy
                      && m.getStatus().autoscaling != null
                      && Integer.valueOf(6).equals(m.getStatus().autoscaling.currentReplicas)
                      && m.getStatus().stable.readyReplicas == 6);
      String r1 = scaled.getStatus().stable.revision;

      version(ns, "ranker", "2.0.0");
      ModelDeployment paused =
          awaitMd(ns, "ranker", Duration.ofSeconds(60), m -> m.getStatus().phase == Phase.Paused);
      String r2 = paused.getStatus().canary.revision;
      assertThat(deployment(ns, "ranker-" + r2).getSpec().getReplicas())
          .as("20% of 6")
          .isEqualTo(2);
      assertThat(deployment(ns, "ranker-" + r1).getSpec().getReplicas()).isEqualTo(6);
      assertThat(hpa(ns, "ranker").getSpec().getBehavior().getScaleDown().getSelectPolicy())
          .isEqualTo("Disabled");

      action(ns, "ranker", "promote");
      awaitMd(
          ns,
          "ranker",
          Duration.ofSeconds(60),
          m -> m.getStatus().canary == null && "2.0.0".equals(m.getStatus().stable.version));
      assertThat(hpa(ns, "ranker").getSpec().getScaleTargetRef().getName())
          .isEqualTo("ranker-" + r2);
      assertThat(deployment(ns, "ranker-" + r2).getSpec().getReplicas()).isEqualTo(6);

      // a user's own autoscaler on the ModelDeployment's scale subresource
      externalMetrics.set("user_queue_" + ns.replace('-', '_'), 40); // 4 pods
      admin.resource(Fixtures.model(ns, "search", "1.0.0", 1)).create();
      awaitMd(ns, "search", Duration.ofSeconds(60), m -> m.getStatus().phase == Phase.Healthy);
      admin
          .resource(
              new HorizontalPodAutoscalerBuilder()
                  .withNewMetadata()
                  .withName("search")
                  .withNamespace(ns)
                  .endMetadata()
                  .withNewSpec()
                  .withNewScaleTargetRef()
                  .withApiVersion("modelrollout.io/v1alpha1")
                  .withKind("ModelDeployment")
                  .withName("search")
                  .endScaleTargetRef()
                  .withMinReplicas(1)
                  .withMaxReplicas(8)
                  .withMetrics(external("user_queue_" + ns.replace('-', '_'), 10))
                  .endSpec()
                  .build())
          .create();
      ModelDeployment four =
          awaitMd(
              ns,
              "search",
              Duration.ofSeconds(90),
              m ->
                  Integer.valueOf(4).equals(md(ns, "search").getSpec().replicas)
                      && m.getStatus().replicas != null
                      && m.getStatus().replicas == 4);
      assertThat(
              deployment(ns, "search-" + four.getStatus().stable.revision).getSpec().getReplicas())
          .isEqualTo(4);
      report.passed();
    }
  }

  private static MetricSpec external(String metric, int perPod) {
    return new MetricSpecBuilder()
        .withType("External")
        .withNewExternal()
        .withNewMetric()
        .withName(metric)
        .endMetric()
        .withNewTarget()
        .withType("AverageValue")
        .withNewAverageValue(String.valueOf(perPod))
        .endTarget()
        .endExternal()
        .build();
  }

  private static String edgeNode(String name, String fleet, String hw, boolean ready) {
    NodeBuilder b =
        new NodeBuilder()
            .withNewMetadata()
            .withName(name)
            .addToLabels("e2e.modelrollout.io/fleet", fleet)
            .addToLabels("e2e.modelrollout.io/hw", hw)
            .addToLabels("kubernetes.io/hostname", name)
            .addToLabels("type", "kwok")
            .addToAnnotations("node.alpha.kubernetes.io/ttl", "0")
            .endMetadata()
            .withNewSpec()
            .addNewTaint()
            .withKey("e2e.modelrollout.io/edge")
            .withValue("true")
            .withEffect("NoSchedule")
            .endTaint()
            .endSpec();
    if (ready) { // KWOK runs it; the others never report: NotReady
      b.editMetadata().addToAnnotations("kwok.x-k8s.io/node", "fake").endMetadata();
    }
    Node n = admin.resource(b.build()).create();
    return n.getMetadata().getName();
  }

  private static List<String> labeled(List<String> nodes, String key, String revision) {
    List<String> out = new ArrayList<>();
    for (String n : nodes) {
      Node node = admin.nodes().withName(n).get();
      if (node != null && revision.equals(node.getMetadata().getLabels().get(key))) {
        out.add(n);
      }
    }
    return out;
  }

  private static CronJob cron(String ns) {
    return admin.batch().v1().cronjobs().inNamespace(ns).withName("scorer").get();
  }

  private static Deployment deployment(String ns, String name) {
    return admin.apps().deployments().inNamespace(ns).withName(name).get();
  }

  private static HorizontalPodAutoscaler hpa(String ns, String name) {
    return admin.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns).withName(name).get();
  }

  private static void kubectl(String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
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
