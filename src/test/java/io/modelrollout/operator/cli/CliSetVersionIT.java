package io.modelrollout.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.testing.Fixtures;
import io.modelrollout.operator.testing.Scenario;
import io.modelrollout.operator.testing.ScriptedMetrics;
import io.modelrollout.operator.testing.TestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code set version}: starts a rollout, and refuses objects Argo CD manages unless --force. */
class CliSetVersionIT {
  final ScriptedMetrics metrics = new ScriptedMetrics().answer("version=\"2.0.0\"", 0.001);
  Scenario s;

  @BeforeEach
  void setUp() {
    s = Scenario.start("cli-set", metrics);
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
  void setsTheVersionAndTheRolloutStarts() {
    CliRun.Result r = cli("set", "version", "fraud", "2.0.0", "-n", s.ns);
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).startsWith("fraud: version 1.0.0 -> 2.0.0 (generation 2)\n");
    assertThat(r.err())
        .isEqualTo(
            "note: spec.model.uri still names 1.0.0 (s3://models/fraud/1.0.0); pass --uri to"
                + " change it\n");
    assertThat(cli("wait", "fraud", "-n", s.ns, "--timeout=60s").code()).isZero();
    assertThat(cli("set", "version", "fraud", "2.0.0", "-n", s.ns).out())
        .isEqualTo("fraud: already at version 2.0.0\n");
    CliRun.Result uri =
        cli("set", "version", "fraud", "2.0.0", "--uri", "s3://models/fraud/2.0.0", "-n", s.ns);
    assertThat(uri.code()).isZero();
    assertThat(s.md("fraud").getSpec().model.uri).isEqualTo("s3://models/fraud/2.0.0");
  }

  @Test
  void refusesWhatArgoCdTracksUnlessForced() {
    Fixtures.patch(
        s.client,
        s.ns,
        "fraud",
        "{\"metadata\":{\"annotations\":{\"argocd.argoproj.io/tracking-id\":"
            + "\"models:modelrollout.io/ModelDeployment:"
            + s.ns
            + "/fraud\"}}}");
    CliRun.Result refused = cli("set", "version", "fraud", "2.0.0", "-n", s.ns);
    assertThat(refused.code()).isEqualTo(ExitCodes.FAILED);
    assertThat(refused.err())
        .contains("refusing to change modeldeployment fraud: Argo CD manages it")
        .contains("argocd.argoproj.io/tracking-id=models:")
        .contains("Change the version in Git, or pass --force");
    assertThat(s.md("fraud").getSpec().model.version).isEqualTo("1.0.0");

    CliRun.Result forced = cli("set", "version", "fraud", "2.0.0", "-n", s.ns, "--force");
    assertThat(forced.code()).as(forced.toString()).isZero();
    assertThat(forced.err()).contains("warning: Argo CD manages fraud");
    assertThat(s.md("fraud").getSpec().model.version).isEqualTo("2.0.0");
  }

  @Test
  void theInstanceLabelCountsUnlessArgoCdTracksByAnnotation() {
    Fixtures.patch(
        s.client,
        s.ns,
        "fraud",
        "{\"metadata\":{\"labels\":{\"app.kubernetes.io/instance\":\"models\"}}}");
    String argocd = TestCluster.newNamespace(s.client, "argocd");
    CliRun.Result unknown =
        cli("set", "version", "fraud", "2.0.0", "-n", s.ns, "--argocd-namespace", argocd);
    assertThat(unknown.code()).isEqualTo(ExitCodes.FAILED);
    assertThat(unknown.err())
        .contains("app.kubernetes.io/instance=models")
        .contains("no ConfigMap argocd-cm in namespace " + argocd);

    s.client
        .configMaps()
        .inNamespace(argocd)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("argocd-cm")
                .endMetadata()
                .addToData("application.resourceTrackingMethod", "annotation")
                .build())
        .create();
    CliRun.Result allowed =
        cli("set", "version", "fraud", "2.0.0", "-n", s.ns, "--argocd-namespace", argocd);
    assertThat(allowed.code()).as(allowed.toString()).isZero();
    ModelDeployment md = s.md("fraud");
    assertThat(md.getSpec().model.version).isEqualTo("2.0.0");
  }
}
