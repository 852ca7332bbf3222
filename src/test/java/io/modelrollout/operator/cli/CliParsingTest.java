package io.modelrollout.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line without an API server: help, usage errors and connection errors. */
class CliParsingTest {
  @TempDir Path tmp;

  @Test
  void helpListsTheCommandsAndTheExitCodes() {
    CliRun.Result r = CliRun.run("--help");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("get", "list", "history", "wait", "promote", "abort", "retry", "pause", "resume")
        .contains("set ")
        .contains(
            "Exit codes:", "2   timeout", "3   invalid spec", "4   not found, or no permission");
    CliRun.Result wait = CliRun.run("wait", "--help");
    assertThat(wait.out()).contains("--for=CONDITION", "--timeout=DURATION", "-o, --output");
    assertThat(CliRun.run("set", "version", "--help").out()).contains("--force", "--uri=URI");
  }

  @Test
  void usageErrorsExit64() {
    assertThat(CliRun.run("wait").code()).isEqualTo(ExitCodes.USAGE); // no NAME
    assertThat(CliRun.run("frobnicate").code()).isEqualTo(ExitCodes.USAGE);
    CliRun.Result badFor = CliRun.run("wait", "fraud", "--for=ready");
    assertThat(badFor.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(badFor.err()).contains("--for must be healthy, promoted, rolledback or phase=");
    assertThat(CliRun.run("wait", "fraud", "--timeout=soon").code()).isEqualTo(ExitCodes.USAGE);
    assertThat(CliRun.run("get", "fraud", "--color=sometimes").code()).isEqualTo(ExitCodes.USAGE);
    assertThat(CliRun.run("get", "fraud", "-o", "table").code()).isEqualTo(ExitCodes.USAGE);
    assertThat(CliRun.run().code()).as("no command: the usage").isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void aKubeconfigVariableNamingNoFileIsSaidSo() throws IOException {
    java.nio.file.Path real = java.nio.file.Files.writeString(tmp.resolve("config"), "x");
    assertThat(KubeOptions.missingKubeconfig("/nonexistent"))
        .isEqualTo("KUBECONFIG names /nonexistent, which does not exist");
    assertThat(KubeOptions.missingKubeconfig("/nonexistent:" + real)).isNull();
    assertThat(KubeOptions.missingKubeconfig(null)).isNull();
    assertThat(KubeOptions.missingKubeconfig("")).isNull();
  }

  @Test
  void aMissingKubeconfigOrContextIsAnError() throws IOException {
    CliRun.Result r = CliRun.run("--kubeconfig", tmp.resolve("none").toString(), "list");
    assertThat(r.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(r.err()).contains("does not exist");
    Path kc = unreachable();
    CliRun.Result ctx = CliRun.run("list", "--kubeconfig", kc.toString(), "--context", "prod");
    assertThat(ctx.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(ctx.err()).contains("context \"prod\" is not in the kubeconfig");
  }

  @Test
  void anUnreachableApiServerIsExit5NotAHang() throws IOException {
    long start = System.nanoTime();
    CliRun.Result r =
        CliRun.run(
            "wait", "fraud", "--kubeconfig", unreachable().toString(), "--request-timeout=3s");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.ERROR);
    assertThat(r.err()).contains("the API server cannot be reached");
    assertThat(System.nanoTime() - start).isLessThan(30_000_000_000L);
  }

  @Test
  void optionsBeforeTheCommandApply() throws IOException {
    CliRun.Result r =
        CliRun.run("-n", "models", "--kubeconfig", unreachable().toString(), "get", "fraud");
    assertThat(r.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(r.err()).contains("in namespace models");
  }

  @Test
  void durations() {
    assertThat(KubeOptions.Durations.parse("90")).hasSeconds(90);
    assertThat(KubeOptions.Durations.parse("1h30m")).hasMinutes(90);
  }

  private Path unreachable() throws IOException {
    Path kc = tmp.resolve("kubeconfig");
    Files.writeString(
        kc,
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: 'https://127.0.0.1:9'}}]
        users: [{name: u, user: {token: t}}]
        contexts: [{name: local, context: {cluster: c, user: u, namespace: team-a}}]
        current-context: local
        """);
    return kc;
  }
}
