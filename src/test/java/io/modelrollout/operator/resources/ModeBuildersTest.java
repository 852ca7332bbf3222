package io.modelrollout.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.modelrollout.operator.api.AutoscalingSpec;
import io.modelrollout.operator.api.BatchSpec;
import io.modelrollout.operator.api.DeploymentMode;
import io.modelrollout.operator.api.EdgeSpec;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.rollout.FleetOrder;
import io.modelrollout.operator.rollout.ModeIntent;
import io.modelrollout.operator.testing.Fixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The pure builders of the modes' objects: CronJob, validation Job, kept template, DaemonSet, node
 * labels, HPA, fleet order.
 */
class ModeBuildersTest {

  static ModelDeployment batch() {
    ModelDeployment md = Fixtures.model("ml", "scorer", "2.0.0", 1);
    md.getMetadata().setUid("uid-1");
    md.getSpec().mode = DeploymentMode.Batch;
    BatchSpec b = new BatchSpec();
    b.schedule = "0 2 * * *";
    b.timeZone = "Europe/Berlin";
    b.input = "s3://data/transactions";
    b.output = "s3://scores/";
    b.activeDeadlineSeconds = 600L;
    b.backoffLimit = 2;
    md.getSpec().batch = b;
    md.getSpec()
        .template
        .getSpec()
        .getContainers()
        .get(0)
        .setEnv(List.of(env("MODEL_OUTPUT_URI", "s3://stale"), env("LOG_LEVEL", "debug")));
    return md;
  }

  @Test
  void theCronJobRunsTheRevisionWithItsScheduleLimitsAndRunEnvironment() {
    ModelDeployment md = batch();
    PodTemplateSpec t = BatchObjects.revisionTemplate(md, "r1");
    CronJob c = BatchObjects.cronJob(md, t, new ModeIntent.CronTarget("r1", "2.0.0", true));

    assertThat(c.getMetadata().getName()).isEqualTo("scorer");
    assertThat(c.getMetadata().getOwnerReferences()).hasSize(1);
    assertThat(c.getMetadata().getLabels()).containsEntry("modelrollout.io/version", "2.0.0");
    var spec = c.getSpec();
    assertThat(spec.getSchedule()).isEqualTo("0 2 * * *");
    assertThat(spec.getTimeZone()).isEqualTo("Europe/Berlin");
    assertThat(spec.getConcurrencyPolicy()).as("default").isEqualTo("Forbid");
    assertThat(spec.getSuccessfulJobsHistoryLimit()).isEqualTo(3);
    assertThat(spec.getFailedJobsHistoryLimit()).isEqualTo(1);
    assertThat(spec.getSuspend()).isTrue();
    var job = spec.getJobTemplate();
    assertThat(job.getMetadata().getLabels()).containsEntry(BatchObjects.KIND, BatchObjects.RUN);
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(600L);
    assertThat(job.getSpec().getBackoffLimit()).isEqualTo(2);
    var pod = job.getSpec().getTemplate();
    assertThat(pod.getSpec().getRestartPolicy()).as("a Job's pods").isEqualTo("Never");
    assertThat(pod.getMetadata().getLabels()).containsEntry("team", "risk");
    Map<String, EnvVar> env = env(pod);
    assertThat(env.get("MODEL_INPUT_URI").getValue()).isEqualTo("s3://data/transactions");
    assertThat(env.get("MODEL_OUTPUT_URI").getValue())
        .as("versioned, per run, never the template's own value")
        .isEqualTo("s3://scores/2.0.0/$(MODEL_RUN_ID)");
    assertThat(env.get("MODEL_RUN_ID").getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("metadata.labels['batch.kubernetes.io/job-name']");
    assertThat(env.get("MODEL_RUN_KIND").getValue()).isEqualTo("scheduled");
    assertThat(env.get("LOG_LEVEL").getValue()).isEqualTo("debug");
    assertThat(env.get("MODEL_VERSION").getValue()).isEqualTo("2.0.0");
    List<String> names =
        pod.getSpec().getContainers().get(0).getEnv().stream().map(EnvVar::getName).toList();
    assertThat(names.indexOf("MODEL_RUN_ID"))
        .as("defined before MODEL_OUTPUT_URI refers to it")
        .isLessThan(names.indexOf("MODEL_OUTPUT_URI"));
  }

  @ParameterizedTest(name = "{0}, {1} -> {2}")
  @CsvSource({
    "s3://scores,      2.0.0,        s3://scores/2.0.0",
    "s3://scores/,     2.0.0,        s3://scores/2.0.0",
    "gs://b/out,       1.0.0+build/7, gs://b/out/1.0.0_build_7",
  })
  void theOutputIsVersionedAndTheVersionIsSafeForAPath(
      String output, String version, String expected) {
    assertThat(BatchObjects.outputBase(output, version)).isEqualTo(expected);
  }

  @Test
  void aValidationJobHasItsOwnInputOutputDeadlineAndAttempt() {
    ModelDeployment md = batch();
    PodTemplateSpec t = BatchObjects.revisionTemplate(md, "r2");
    var v =
        new ModeIntent.ValidationJob(
            "scorer-r2",
            "r2",
            "2.0.0",
            "1700000000-1",
            "s3://data/validation",
            "s3://scores/2.0.0/validation-r2",
            null,
            Duration.ofMinutes(15));
    Job j = BatchObjects.validationJob(md, t, v);
    assertThat(j.getMetadata().getName()).isEqualTo("scorer-r2");
    assertThat(j.getMetadata().getLabels())
        .containsEntry(BatchObjects.KIND, BatchObjects.VALIDATION)
        .containsEntry(BatchObjects.ATTEMPT, "1700000000-1");
    assertThat(j.getSpec().getActiveDeadlineSeconds()).isEqualTo(900L);
    Map<String, EnvVar> env = env(j.getSpec().getTemplate());
    assertThat(env.get("MODEL_INPUT_URI").getValue()).isEqualTo("s3://data/validation");
    assertThat(env.get("MODEL_OUTPUT_URI").getValue()).isEqualTo("s3://scores/2.0.0/validation-r2");
    assertThat(env.get("MODEL_RUN_ID").getValue()).isEqualTo("scorer-r2");
    assertThat(env.get("MODEL_RUN_KIND").getValue()).isEqualTo("validation");
    assertThat(env).doesNotContainKey("MODEL_BASELINE_OUTPUT_URI");

    var shadow =
        new ModeIntent.ValidationJob(
            "scorer-r2",
            "r2",
            "2.0.0",
            "1700000000-2",
            "s3://data/day-1",
            "s3://scores/2.0.0/validation-r2",
            "s3://scores/1.0.0/scorer-28000000",
            Duration.ofMinutes(15));
    Map<String, EnvVar> senv =
        env(BatchObjects.validationJob(md, t, shadow).getSpec().getTemplate());
    assertThat(senv.get("MODEL_RUN_KIND").getValue()).isEqualTo("shadow");
    assertThat(senv.get("MODEL_BASELINE_OUTPUT_URI").getValue())
        .isEqualTo("s3://scores/1.0.0/scorer-28000000");
  }

  @Test
  void aKeptTemplateGivesBackThePodTemplateItKeeps() {
    ModelDeployment md = batch();
    PodTemplateSpec t = BatchObjects.revisionTemplate(md, "r1");
    ControllerRevision r = BatchObjects.template(md, "r1", "2.0.0", t);
    assertThat(r.getMetadata().getName()).isEqualTo("scorer-r1");
    assertThat(r.getMetadata().getLabels()).containsEntry("modelrollout.io/version", "2.0.0");
    assertThat(BatchObjects.templateOf(r)).isEqualTo(t);
  }

  static ModelDeployment edge(int maxSurge) {
    ModelDeployment md = Fixtures.model("ml", "kiosk", "3.0.0", 1);
    md.getMetadata().setUid("uid-2");
    md.getSpec().mode = DeploymentMode.Edge;
    EdgeSpec e = new EdgeSpec();
    e.nodeSelector = Map.of("fleet", "stores");
    EdgeSpec.EdgeToleration tol = new EdgeSpec.EdgeToleration();
    tol.key = "edge";
    tol.operator = EdgeSpec.Operator.Exists;
    tol.effect = EdgeSpec.Effect.NoSchedule;
    e.tolerations = List.of(tol);
    e.maxSurge = maxSurge;
    md.getSpec().edge = e;
    return md;
  }

  @ParameterizedTest(name = "maxSurge {0}")
  @CsvSource({"0", "1"})
  void aDaemonSetPerRevisionRunsOnTheFleetsNodesLabelledForIt(int maxSurge) {
    DaemonSet ds = EdgeObjects.daemonSet(edge(maxSurge), "r3");
    assertThat(ds.getMetadata().getName()).isEqualTo("kiosk-r3");
    assertThat(ds.getMetadata().getOwnerReferences()).hasSize(1);
    var pod = ds.getSpec().getTemplate().getSpec();
    assertThat(pod.getNodeSelector()).containsEntry("fleet", "stores");
    assertThat(pod.getTolerations())
        .extracting(Toleration::getKey, Toleration::getOperator, Toleration::getEffect)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("edge", "Exists", "NoSchedule"));
    List<NodeSelectorTerm> terms =
        pod.getAffinity()
            .getNodeAffinity()
            .getRequiredDuringSchedulingIgnoredDuringExecution()
            .getNodeSelectorTerms();
    List<String> keys =
        terms.stream()
            .map(x -> x.getMatchExpressions().get(0))
            .map(x -> x.getKey() + " " + x.getOperator() + " " + x.getValues())
            .toList();
    List<String> expected = new ArrayList<>(List.of("modelrollout.io/kiosk-revision In [r3]"));
    if (maxSurge == 1) {
      expected.add("modelrollout.io/kiosk-surge In [r3]"); // terms are ORed
    }
    assertThat(keys).containsExactlyElementsOf(expected);
    assertThat(ds.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(ds.getSpec().getSelector().getMatchLabels())
        .containsEntry("modelrollout.io/version", "3.0.0");
  }

  @Test
  void nodeLabelsCarryOnlyTheOperatorsOwnKeys() {
    ModelDeployment md = edge(1);
    Node n = EdgeObjects.nodeLabels(md, "n1", new ModeIntent.NodeLabels("r3", "r4"));
    assertThat(n.getMetadata().getName()).isEqualTo("n1");
    assertThat(n.getMetadata().getLabels())
        .containsOnly(
            Map.entry("modelrollout.io/kiosk-revision", "r3"),
            Map.entry("modelrollout.io/kiosk-surge", "r4"));
    Node none = EdgeObjects.nodeLabels(md, "n1", new ModeIntent.NodeLabels(null, null));
    assertThat(none.getMetadata().getLabels())
        .as("an empty apply removes what this field manager set")
        .isNullOrEmpty();
    assertThat(EdgeObjects.fieldManager(md)).isEqualTo("mro-edge/ml/kiosk");
  }

  @Test
  void theFleetOrderIsDeterministicPerRevisionAndSpreadsAcrossTopology() {
    List<FleetOrder.Member> nodes =
        IntStream.range(0, 12)
            .mapToObj(i -> new FleetOrder.Member("node-" + i, "hw-" + (i % 3)))
            .toList();
    List<String> a = FleetOrder.of(nodes, "rev-a");
    assertThat(a).hasSize(12).doesNotHaveDuplicates();
    List<FleetOrder.Member> shuffled = new ArrayList<>(nodes);
    java.util.Collections.reverse(shuffled);
    assertThat(FleetOrder.of(shuffled, "rev-a")).as("input order does not matter").isEqualTo(a);
    assertThat(FleetOrder.of(nodes, "rev-b"))
        .as("another revision, other nodes first")
        .isNotEqualTo(a);
    Function<String, String> hw =
        name -> "hw-" + (Integer.parseInt(name.substring("node-".length())) % 3);
    assertThat(a.subList(0, 3).stream().map(hw).distinct())
        .as("the first three nodes cover every hardware class")
        .hasSize(3);
    assertThat(a.subList(3, 6).stream().map(hw).distinct()).hasSize(3);
  }

  @Test
  void theAutoscalerScalesTheStableRevisionAndHoldsScaleDownDuringARollout() {
    ModelDeployment md = Fixtures.model("ml", "ranker", "1.0.0", 2);
    md.getMetadata().setUid("uid-3");
    md.getSpec().autoscaling = new AutoscalingSpec();
    md.getSpec().autoscaling.maxReplicas = 10;
    HorizontalPodAutoscaler h = Autoscalers.desired(md, "r1", false);
    assertThat(h.getMetadata().getName()).isEqualTo("ranker");
    assertThat(h.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
    assertThat(h.getSpec().getScaleTargetRef().getName()).isEqualTo("ranker-r1");
    assertThat(h.getSpec().getMinReplicas()).isEqualTo(1);
    assertThat(h.getSpec().getMaxReplicas()).isEqualTo(10);
    var cpu = h.getSpec().getMetrics().get(0);
    assertThat(cpu.getResource().getName()).as("CPU by default").isEqualTo("cpu");
    assertThat(cpu.getResource().getTarget().getAverageUtilization()).isEqualTo(80);
    assertThat(h.getSpec().getBehavior()).isNull();

    md.getSpec().autoscaling.metrics =
        List.of(
            new MetricSpecBuilder()
                .withType("External")
                .withNewExternal()
                .withNewMetric()
                .withName("queue_depth")
                .endMetric()
                .withNewTarget()
                .withType("AverageValue")
                .withNewAverageValue("10")
                .endTarget()
                .endExternal()
                .build());
    HorizontalPodAutoscaler during = Autoscalers.desired(md, "r1", true);
    assertThat(during.getSpec().getMetrics()).isEqualTo(md.getSpec().autoscaling.metrics);
    assertThat(during.getSpec().getBehavior().getScaleDown().getSelectPolicy())
        .as("a rollout never loses capacity")
        .isEqualTo("Disabled");
    assertThat(during.getSpec().getBehavior().getScaleUp()).as("scale-up stays free").isNull();
  }

  @ParameterizedTest(name = "min {0}, max {1}, spec {2}, current {3} -> {4}")
  @CsvSource({
    "1, 10, 2,     , 2",
    "1, 10, 2,    7, 7",
    "3, 10, 1,     , 3",
    "1,  5, 2,    9, 5",
    "2, 10, 2,    1, 2",
  })
  void theStablesSizeIsItsCurrentSizeWithinTheBounds(
      int min, int max, int spec, Integer current, int expected) {
    AutoscalingSpec a = new AutoscalingSpec();
    a.minReplicas = min;
    a.maxReplicas = max;
    assertThat(Autoscalers.size(a, spec, current)).isEqualTo(expected);
  }

  private static Map<String, EnvVar> env(PodTemplateSpec pod) {
    return pod.getSpec().getContainers().get(0).getEnv().stream()
        .collect(Collectors.toMap(EnvVar::getName, e -> e));
  }

  private static EnvVar env(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }
}
