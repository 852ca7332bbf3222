package io.modelrollout.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelrollout.operator.api.BatchSpec;
import io.modelrollout.operator.api.BatchStatus.Outcome;
import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.DeploymentMode;
import io.modelrollout.operator.api.GateSpec;
import io.modelrollout.operator.api.HistoryEntry;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.RolloutPolicy;
import io.modelrollout.operator.resources.RevisionHash;
import io.modelrollout.operator.testing.FakeJobs;
import io.modelrollout.operator.testing.Fixtures;
import io.modelrollout.operator.testing.Scenario;
import io.modelrollout.operator.testing.ScriptedMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Batch mode on the real API server: the CronJob, the validation Job and the kept job templates the
 * operator writes, the switch between runs (suspend, wait for the active run, update, resume), a
 * failed validation with the pod's exit code in status, and the rollback action. The CronJob and
 * Job controllers do not run here: {@link FakeJobs} starts runs and finishes Jobs.
 */
class BatchModeIT {
  Scenario scenario;
  KubernetesClient client;
  String ns;
  FakeJobs jobs;
  final ScriptedMetrics metrics = new ScriptedMetrics();

  @BeforeEach
  void setUp() {
    scenario = Scenario.start("batch", metrics);
    client = scenario.client;
    ns = scenario.ns;
    jobs = new FakeJobs(client, ns);
    RolloutPolicy p = Fixtures.canaryPolicy(ns, "validated", 1, CanaryStep.analysis("accuracy"));
    GateSpec g = Fixtures.gate("accuracy", "batch_accuracy{version=\"{{version}}\"}", 1.0);
    g.max = null;
    g.min = 0.9;
    g.count = 1;
    p.getSpec().gates.add(g);
    client.resource(p).create();
    client.resource(batch(ns, "scorer", "1.0.0")).create();
    scenario.awaitMd("scorer", m -> m.getStatus().phase == Phase.Healthy);
  }

  @AfterEach
  void tearDown() {
    scenario.close();
  }

  static ModelDeployment batch(String ns, String name, String version) {
    ModelDeployment md = Fixtures.withPolicy(Fixtures.model(ns, name, version, 1), "validated");
    md.getSpec().mode = DeploymentMode.Batch;
    BatchSpec b = new BatchSpec();
    b.schedule = "0 2 * * *";
    b.timeZone = "Europe/Berlin";
    b.input = "s3://data/transactions";
    b.output = "s3://scores/fraud";
    b.activeDeadlineSeconds = 3600L;
    b.backoffLimit = 1;
    b.validation = new BatchSpec.Validation();
    b.validation.input = "s3://data/validation-set";
    md.getSpec().batch = b;
    return md;
  }

  @Test
  void aValidatedVersionTakesOverTheCronJobBetweenRuns() {
    String r1 = RevisionHash.of(scenario.md("scorer").getSpec());
    CronJob cron = cron();
    assertThat(cron.getSpec().getSchedule()).isEqualTo("0 2 * * *");
    assertThat(cron.getSpec().getTimeZone()).isEqualTo("Europe/Berlin");
    assertThat(cron.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
    assertThat(cron.getSpec().getSuccessfulJobsHistoryLimit()).isEqualTo(3);
    assertThat(cron.getSpec().getFailedJobsHistoryLimit()).isEqualTo(1);
    assertThat(cron.getSpec().getSuspend()).isFalse();
    var job = cron.getSpec().getJobTemplate().getSpec();
    assertThat(job.getActiveDeadlineSeconds()).isEqualTo(3600L);
    assertThat(job.getBackoffLimit()).isEqualTo(1);
    assertThat(job.getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
    Map<String, EnvVar> env = env(job.getTemplate().getSpec().getContainers().get(0));
    assertThat(env.get("MODEL_VERSION").getValue()).isEqualTo("1.0.0");
    assertThat(env.get("MODEL_INPUT_URI").getValue()).isEqualTo("s3://data/transactions");
    assertThat(env.get("MODEL_RUN_ID").getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("metadata.labels['batch.kubernetes.io/job-name']");
    assertThat(env.get("MODEL_OUTPUT_URI").getValue())
        .isEqualTo("s3://scores/fraud/1.0.0/$(MODEL_RUN_ID)");
    assertThat(cron.getMetadata().getOwnerReferences().get(0).getKind())
        .isEqualTo("ModelDeployment");
    assertThat(templates()).containsExactly("scorer-" + r1);

    Job run = jobs.startRun("scorer", "scorer-29000001");
    metrics.answer("version=\"2.0.0\"", 0.97);
    scenario.patch("scorer", "{\"spec\":{\"model\":{\"version\":\"2.0.0\"}}}");
    String r2 = RevisionHash.of(scenario.md("scorer").getSpec());
    String validation = "scorer-" + r2;
    await().atMost(Duration.ofSeconds(30)).until(() -> jobs.get(validation) != null);
    Job v = jobs.get(validation);
    Map<String, EnvVar> venv = env(v.getSpec().getTemplate().getSpec().getContainers().get(0));
    assertThat(venv.get("MODEL_INPUT_URI").getValue()).isEqualTo("s3://data/validation-set");
    assertThat(venv.get("MODEL_OUTPUT_URI").getValue())
        .isEqualTo("s3://scores/fraud/2.0.0/validation-" + r2);
    assertThat(venv.get("MODEL_RUN_KIND").getValue()).isEqualTo("validation");
    assertThat(v.getSpec().getActiveDeadlineSeconds())
        .as("batch.activeDeadlineSeconds")
        .isEqualTo(3600L);
    assertThat(v.getMetadata().getLabels()).containsEntry("modelrollout.io/job-kind", "validation");
    // the validation Job is created before the status that tells of it is written
    assertThat(scenario.awaitMd("scorer", m -> m.getStatus().phase == Phase.Progressing))
        .isNotNull();
    assertThat(cron().getMetadata().getLabels()).containsEntry("modelrollout.io/revision", r1);

    jobs.succeed(validation);
    ModelDeployment waiting =
        scenario.awaitMd(
            "scorer",
            m ->
                m.getStatus().batch.switching != null
                    && m.getStatus().batch.switching.contains("waiting for run scorer-29000001"));
    assertThat(waiting.getStatus().batch.validation.outcome).isEqualTo(Outcome.Succeeded);
    assertThat(metrics.queries()).contains("batch_accuracy{version=\"2.0.0\"}");
    assertThat(cron().getSpec().getSuspend()).isTrue();
    assertThat(cron().getMetadata().getLabels())
        .as("never switched during a run")
        .containsEntry("modelrollout.io/revision", r1);

    jobs.succeed(run.getMetadata().getName());
    ModelDeployment done =
        scenario.awaitMd("scorer", m -> "2.0.0".equals(m.getStatus().stable.version));
    assertThat(cron().getSpec().getSuspend()).isFalse();
    assertThat(cron().getMetadata().getLabels()).containsEntry("modelrollout.io/revision", r2);
    assertThat(
            env(cron()
                    .getSpec()
                    .getJobTemplate()
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0))
                .get("MODEL_OUTPUT_URI")
                .getValue())
        .isEqualTo("s3://scores/fraud/2.0.0/$(MODEL_RUN_ID)");
    assertThat(done.getStatus().batch.previous.version).isEqualTo("1.0.0");
    assertThat(done.getStatus().batch.runs)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.job).isEqualTo("scorer-29000001");
              assertThat(r.version).isEqualTo("1.0.0");
              assertThat(r.outcome).isEqualTo(Outcome.Succeeded);
              assertThat(r.output).isEqualTo("s3://scores/fraud/1.0.0/scorer-29000001");
            });
    assertThat(done.getStatus().history.get(0).outcome).isEqualTo(HistoryEntry.Outcome.Promoted);
    assertThat(templates()).containsExactlyInAnyOrder("scorer-" + r1, "scorer-" + r2);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(scenario.events("ValidationSucceeded"))
                    .singleElement()
                    .satisfies(e -> assertThat(e.getMessage()).contains(validation)));
    assertThat(scenario.events("RunSucceeded")).hasSize(1);

    // the rollback action puts version 1's kept job template back
    scenario.patch(
        "scorer", "{\"metadata\":{\"annotations\":{\"modelrollout.io/action\":\"rollback\"}}}");
    ModelDeployment back =
        scenario.awaitMd(
            "scorer",
            m ->
                "1.0.0".equals(m.getStatus().stable.version)
                    && m.getStatus().batch.switching == null);
    assertThat(back.getStatus().phase).isEqualTo(Phase.RolledBack);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> r1.equals(cron().getMetadata().getLabels().get("modelrollout.io/revision")));
    assertThat(
            env(cron()
                    .getSpec()
                    .getJobTemplate()
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0))
                .get("MODEL_VERSION")
                .getValue())
        .isEqualTo("1.0.0");
  }

  @Test
  void aFailedValidationKeepsTheOldVersionOnItsScheduleWithTheExitCodeAndTheLogs() {
    String cronVersion = cron().getMetadata().getResourceVersion();
    scenario.patch("scorer", "{\"spec\":{\"model\":{\"version\":\"3.0.0\"}}}");
    String r3 = RevisionHash.of(scenario.md("scorer").getSpec());
    String validation = "scorer-" + r3;
    await().atMost(Duration.ofSeconds(30)).until(() -> jobs.get(validation) != null);
    jobs.fail(validation, 137, "OOMKilled while loading the model");
    ModelDeployment failed =
        scenario.awaitMd("scorer", m -> m.getStatus().phase == Phase.RolledBack);
    var v = failed.getStatus().batch.validation;
    assertThat(v.outcome).isEqualTo(Outcome.Failed);
    assertThat(v.reason)
        .isEqualTo(
            "BackoffLimitExceeded: Job has reached the specified backoff limit; pod "
                + validation
                + "-x1: container server exited with code 137 (Error): OOMKilled while loading"
                + " the model");
    assertThat(v.logs).startsWith("kubectl -n " + ns + " logs job/" + validation);
    assertThat(failed.getStatus().history.get(0).reason).contains("exited with code 137");
    assertThat(failed.getStatus().stable.version).isEqualTo("1.0.0");
    assertThat(cron().getMetadata().getResourceVersion())
        .as("the CronJob was not touched")
        .isEqualTo(cronVersion);
    assertThat(jobs.get(validation)).as("kept for its logs").isNotNull();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !scenario.events("ValidationFailed").isEmpty());
    assertThat(scenario.events("RolledBack")).singleElement();
  }

  private CronJob cron() {
    return client.batch().v1().cronjobs().inNamespace(ns).withName("scorer").get();
  }

  private List<String> templates() {
    return client.apps().controllerRevisions().inNamespace(ns).list().getItems().stream()
        .map(ControllerRevision::getMetadata)
        .map(m -> m.getName())
        .sorted()
        .toList();
  }

  private static Map<String, EnvVar> env(Container c) {
    return c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
  }
}
