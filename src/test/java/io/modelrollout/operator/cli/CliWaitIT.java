package io.modelrollout.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.resources.RevisionHash;
import io.modelrollout.operator.testing.FakeJobs;
import io.modelrollout.operator.testing.Fixtures;
import io.modelrollout.operator.testing.OperatorHarness;
import io.modelrollout.operator.testing.Scenario;
import io.modelrollout.operator.testing.ScriptedMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code wait} against the real API server with the operator running: one exit code per outcome, on
 * the version just applied, never a previous rollout's result.
 */
class CliWaitIT {
  final ScriptedMetrics metrics = new ScriptedMetrics();
  Scenario s;

  @BeforeEach
  void setUp() {
    s = Scenario.start("cli-wait", metrics);
    s.client.resource(CliCluster.autoCanary(s.ns)).create();
    s.client.resource(CliCluster.model(s.ns, "fraud", "auto")).create();
    s.awaitMd("fraud", m -> m.getStatus().phase == Phase.Healthy);
  }

  @AfterEach
  void tearDown() {
    s.close();
  }

  CliRun.Result cli(String... args) {
    return CliRun.run(CliRun.admin(args));
  }

  @Test
  void promotedIsExit0() {
    metrics.answer("version=\"2.0.0\"", 0.001);
    CliCluster.setVersion(s.client, s.ns, "fraud", "2.0.0");
    CliRun.Result r = cli("wait", "fraud", "-n", s.ns, "--timeout=60s");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("fraud: version 2.0.0 promoted\n");
    assertThat(r.err())
        .contains("waiting for fraud (version 2.0.0, revision ")
        .contains("to be promoted")
        .contains("Progressing: version 2.0.0 at step");
    assertThat(s.md("fraud").getStatus().stable.version).isEqualTo("2.0.0");
  }

  @Test
  void batchPromotedIsExit0AndGetShowsTheBatchSteps() {
    FakeJobs jobs = new FakeJobs(s.client, s.ns);
    s.client.resource(CliCluster.batch(s.ns, "scorer", "auto")).create();
    s.awaitMd("scorer", m -> m.getStatus().phase == Phase.Healthy);
    metrics.answer("version=\"2.0.0\"", 0.001);
    CliCluster.setVersion(s.client, s.ns, "scorer", "2.0.0");
    String validation = "scorer-" + RevisionHash.of(s.md("scorer").getSpec());
    await().atMost(Duration.ofSeconds(30)).until(() -> jobs.get(validation) != null);
    s.awaitMd("scorer", m -> m.getStatus().batch.validation != null);

    // the mode's steps: the validation Job first, the policy's analysis and pause, no setWeight
    CliRun.Result get = cli("get", "scorer", "-n", s.ns);
    assertThat(get.code()).as(get.toString()).isZero();
    assertThat(get.out())
        .contains("Mode:        Batch")
        .containsPattern("> 1  validation Job")
        .contains("    2  analysis errors")
        .contains("    4  switch the CronJob")
        .doesNotContain("setWeight")
        .doesNotContain("the policy changed")
        .containsPattern("canary +2\\.0\\.0 +\\w+ +-\\n")
        .contains("Validation    Job " + validation + " of version 2.0.0");
    CliRun.Result list = cli("list", "-n", s.ns);
    assertThat(list.out()).containsPattern("scorer .* 1/4 validation Job");

    jobs.succeed(validation);
    CliRun.Result r = cli("wait", "scorer", "-n", s.ns, "--timeout=60s");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("scorer: version 2.0.0 promoted\n");
    assertThat(s.md("scorer").getStatus().stable.version).isEqualTo("2.0.0");
  }

  @Test
  void rolledBackIsExit1WithTheReasonAndTheGateEvidence() throws Exception {
    metrics.answer("version=\"3.0.0\"", 0.2);
    CliCluster.setVersion(s.client, s.ns, "fraud", "3.0.0");
    CliRun.Result r = cli("wait", "fraud", "-n", s.ns, "--timeout=60s");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.FAILED);
    assertThat(r.out())
        .contains("fraud: version 3.0.0 (revision ")
        .contains("rolled back: gate errors failed: value 0.2, threshold <= 0.01")
        .contains("Gates (the evidence):")
        .containsPattern("errors +Fail +0\\.2 +<= 0\\.01")
        .contains("History:")
        .containsPattern("3\\.0\\.0 .*RolledBack");

    CliRun.Result json = cli("wait", "fraud", "-n", s.ns, "-o", "json");
    assertThat(json.code()).isEqualTo(ExitCodes.FAILED);
    JsonNode doc = new ObjectMapper().readTree(json.out());
    assertThat(doc.get("result").asText()).isEqualTo("RolledBack");
    assertThat(doc.get("exitCode").asInt()).isEqualTo(1);
    assertThat(doc.get("version").asText()).isEqualTo("3.0.0");
    assertThat(doc.get("gates").get(0).get("verdict").asText()).isEqualTo("Fail");
    assertThat(doc.get("gates").get(0).get("value").asDouble()).isEqualTo(0.2);
    assertThat(doc.get("history").get("outcome").asText()).isEqualTo("RolledBack");
    // the duration comes from the entry's startedAt, not from an Event that may have expired
    assertThat(doc.get("history").get("startedAt").asText()).isNotEmpty();
    assertThat(doc.get("history").get("durationSeconds").asLong()).isBetween(0L, 60L);

    CliRun.Result rolledBack = cli("wait", "fraud", "-n", s.ns, "--for=rolledback", "-o", "yaml");
    assertThat(rolledBack.code()).as(rolledBack.toString()).isZero();
    assertThat(rolledBack.out()).contains("result: RolledBack").contains("exitCode: 0");
  }

  @Test
  void timeoutIsExit2() {
    Fixtures.patch(s.client, s.ns, "fraud", "{\"spec\":{\"paused\":true}}");
    CliCluster.setVersion(s.client, s.ns, "fraud", "2.0.0");
    CliRun.Result r = cli("wait", "fraud", "-n", s.ns, "--timeout=3s");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.TIMEOUT);
    assertThat(r.out()).contains("timed out after 3s waiting for promoted; now: ");
    CliRun.Result phase = cli("wait", "fraud", "-n", s.ns, "--for=phase=Paused", "--timeout=30s");
    assertThat(phase.code()).as(phase.toString()).isZero();
    assertThat(phase.out()).isEqualTo("fraud: phase Paused\n");
  }

  @Test
  void invalidSpecIsExit3() {
    Fixtures.patch(
        s.client, s.ns, "fraud", "{\"spec\":{\"rollout\":{\"policyRef\":{\"name\":\"missing\"}}}}");
    CliRun.Result r = cli("wait", "fraud", "-n", s.ns, "--for=healthy", "--timeout=60s");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.INVALID_SPEC);
    assertThat(r.out()).contains("fraud: invalid spec: ").contains("missing");
  }

  @Test
  void notFoundIsExit4AlsoAsADocument() throws Exception {
    CliRun.Result r = cli("wait", "nope", "-n", s.ns);
    assertThat(r.code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(r.err())
        .contains("modeldeployment \"nope\" not found in namespace \"" + s.ns + "\"");
    CliRun.Result json = cli("wait", "nope", "-n", s.ns, "-o", "json");
    assertThat(json.code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(new ObjectMapper().readTree(json.out()).get("result").asText())
        .isEqualTo("NotFound");
  }

  @Test
  void forbiddenUnderARestrictedServiceAccountIsExit4() throws Exception {
    Path none = CliCluster.serviceAccountKubeconfig(s.client, s.ns, "nobody", List.of());
    CliRun.Result r = CliRun.run("wait", "fraud", "--kubeconfig", none.toString());
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(r.err()).contains("forbidden").contains("system:serviceaccount:" + s.ns + ":nobody");

    // get, list and watch on ModelDeployments are all wait needs
    Path reader =
        CliCluster.serviceAccountKubeconfig(
            s.client, s.ns, "reader", List.of("get", "list", "watch"));
    CliRun.Result ok =
        CliRun.run("wait", "fraud", "--for=healthy", "--kubeconfig", reader.toString());
    assertThat(ok.code()).as(ok.toString()).isZero();
    CliRun.Result promote = CliRun.run("promote", "fraud", "--kubeconfig", reader.toString());
    assertThat(promote.code()).as(promote.toString()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(promote.err())
        .contains("cannot annotate modeldeployment fraud")
        .contains("forbidden");
  }

  @Test
  void neverReportsAPreviousRolloutsResult() {
    // the operator is down when the new version is applied: the status (Healthy, of the last
    // generation) must not answer for it
    s.operator.close();
    CliCluster.setVersion(s.client, s.ns, "fraud", "2.0.0");
    assertThat(s.md("fraud").getStatus().phase).isEqualTo(Phase.Healthy);
    CliRun.Result r = cli("wait", "fraud", "-n", s.ns, "--for=healthy", "--timeout=3s");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.TIMEOUT);
    assertThat(r.err()).contains("the operator has not acted on generation");

    metrics.answer("version=\"2.0.0\"", 0.001);
    try (OperatorHarness again = OperatorHarness.start(s.ns, metrics)) {
      CliRun.Result done = cli("wait", "fraud", "-n", s.ns, "--timeout=60s");
      assertThat(done.code()).as(done.toString()).isZero();
    }
  }
}
