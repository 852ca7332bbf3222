package io.modelrollout.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelrollout.operator.api.HistoryEntry.Outcome;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.testing.Fixtures;
import io.modelrollout.operator.testing.Scenario;
import io.modelrollout.operator.testing.ScriptedMetrics;
import io.modelrollout.operator.testing.TestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * promote, promote --full, abort, retry, pause and resume against the real API server with the
 * operator running: each sets the annotation, waits for the operator's acknowledgement in
 * status.lastAction and prints it; a rejected action exits 1 with the operator's reason.
 */
class CliActionsIT {
  final ScriptedMetrics metrics = new ScriptedMetrics().answer("version=\"2.0.0\"", 0.001);
  Scenario s;

  @BeforeEach
  void setUp() {
    s = Scenario.start("cli-actions", metrics);
    s.client.resource(CliCluster.manualCanary(s.ns)).create();
    s.client.resource(CliCluster.model(s.ns, "fraud", "manual")).create();
    s.awaitMd("fraud", m -> m.getStatus().phase == Phase.Healthy);
  }

  @AfterEach
  void tearDown() {
    s.close();
  }

  CliRun.Result cli(String... args) {
    return CliRun.run(CliRun.admin(args));
  }

  void toThePause() {
    CliCluster.setVersion(s.client, s.ns, "fraud", "2.0.0");
    s.awaitMd(
        "fraud",
        m ->
            m.getStatus().phase == Phase.Paused
                && "pause until promoted".equals(m.getStatus().currentStep));
  }

  @Test
  void promoteIsAcknowledged() {
    toThePause();
    CliRun.Result r = cli("promote", "fraud", "-n", s.ns);
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("fraud: promote: promoted past step 'pause until promoted'\n");
    ModelDeployment md = s.md("fraud");
    assertThat(md.getMetadata().getAnnotations()).doesNotContainKey(ActionAck.ANNOTATION);
    assertThat(md.getStatus().lastAction.action).isEqualTo("promote");
    s.awaitMd("fraud", m -> "2.0.0".equals(m.getStatus().stable.version));
  }

  @Test
  void promoteFullIsAcknowledged() {
    toThePause();
    CliRun.Result r = cli("promote", "--full", "fraud", "-n", s.ns);
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out())
        .isEqualTo("fraud: promote-full: promoting fully: skipping the remaining steps\n");
  }

  @Test
  void pauseAndResumeAreAcknowledged() {
    CliRun.Result pause = cli("pause", "fraud", "-n", s.ns);
    assertThat(pause.code()).as(pause.toString()).isZero();
    assertThat(pause.out()).isEqualTo("fraud: pause: paused: the next rollout will wait\n");
    CliCluster.setVersion(s.client, s.ns, "fraud", "2.0.0");
    s.awaitMd("fraud", m -> m.getStatus().phase == Phase.Paused && m.getStatus().canary == null);
    CliRun.Result resume = cli("resume", "fraud", "-n", s.ns);
    assertThat(resume.code()).as(resume.toString()).isZero();
    assertThat(resume.out()).isEqualTo("fraud: resume: resumed\n");
    s.awaitMd("fraud", m -> m.getStatus().canary != null);
  }

  @Test
  void abortThenRetry() {
    toThePause();
    CliRun.Result abort = cli("abort", "fraud", "-n", s.ns);
    assertThat(abort.code()).as(abort.toString()).isZero();
    assertThat(abort.out())
        .isEqualTo("fraud: abort: rollout aborted; all traffic back on version 1.0.0\n");
    CliRun.Result wait = cli("wait", "fraud", "-n", s.ns, "-o", "json");
    assertThat(wait.code()).isEqualTo(ExitCodes.FAILED);
    assertThat(wait.out()).contains("\"result\": \"Aborted\"");
    assertThat(s.md("fraud").getStatus().history.get(0).outcome).isEqualTo(Outcome.Aborted);

    CliRun.Result retry = cli("retry", "fraud", "-n", s.ns);
    assertThat(retry.code()).as(retry.toString()).isZero();
    assertThat(retry.out()).isEqualTo("fraud: retry: retrying version 2.0.0\n");
    s.awaitMd("fraud", m -> m.getStatus().canary != null);
  }

  @Test
  void aRejectedActionExits1WithTheOperatorsReason() {
    CliRun.Result promote = cli("promote", "fraud", "-n", s.ns);
    assertThat(promote.code()).as(promote.toString()).isEqualTo(ExitCodes.FAILED);
    assertThat(promote.err())
        .isEqualTo("error: fraud: promote rejected: nothing to promote: no rollout in progress\n");
    CliRun.Result retry = cli("retry", "fraud", "-n", s.ns);
    assertThat(retry.code()).isEqualTo(ExitCodes.FAILED);
    assertThat(retry.err()).contains("nothing to retry: version 1.0.0 has not failed");
    assertThat(s.md("fraud").getMetadata().getAnnotations())
        .doesNotContainKey(ActionAck.ANNOTATION);
  }

  @Test
  void onAnInvalidSpecTheActionIsNotActedOn() {
    toThePause();
    Fixtures.patch(
        s.client, s.ns, "fraud", "{\"spec\":{\"rollout\":{\"policyRef\":{\"name\":\"missing\"}}}}");
    s.awaitMd("fraud", m -> m.getStatus().phase == Phase.Degraded);
    CliRun.Result r = cli("promote", "fraud", "-n", s.ns, "--timeout=20s");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.INVALID_SPEC);
    assertThat(r.err())
        .contains("does not act on actions while the spec is invalid")
        .contains("missing");
  }

  @Test
  void withoutAnOperatorTheActionTimesOutAndStays() {
    String ns = TestCluster.newNamespace(s.client, "cli-no-operator");
    s.client.resource(CliCluster.model(ns, "fraud", "manual")).create();
    CliRun.Result r = cli("promote", "fraud", "-n", ns, "--timeout=2s");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.TIMEOUT);
    assertThat(r.err()).contains("did not acknowledge 'promote' within 2s (is it running");
    assertThat(
            s.client
                .resources(ModelDeployment.class)
                .inNamespace(ns)
                .withName("fraud")
                .get()
                .getMetadata()
                .getAnnotations())
        .containsEntry(ActionAck.ANNOTATION, "promote");
    CliRun.Result noWait = cli("pause", "fraud", "-n", ns, "--no-wait");
    assertThat(noWait.code()).isZero();
    assertThat(noWait.out()).isEqualTo("fraud: modelrollout.io/action=pause set\n");
  }
}
