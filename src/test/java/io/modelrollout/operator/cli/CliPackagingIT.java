package io.modelrollout.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.testing.Scenario;
import io.modelrollout.operator.testing.ScriptedMetrics;
import io.modelrollout.operator.testing.TestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged plugin as a user runs it: target/ on the PATH beside the kubectl built with the
 * control plane, so {@code kubectl modelrollout} and {@code kubectl mr} find
 * target/kubectl-modelrollout (one executable file: a launcher and the jar) by kubectl's plugin
 * lookup, with KUBECONFIG in the environment and nothing of this JVM's classpath.
 */
class CliPackagingIT {
  static final Path TARGET = TestCluster.projectDir().resolve("target");
  final ScriptedMetrics metrics = new ScriptedMetrics().answer("version=\"2.0.0\"", 0.001);
  Scenario s;

  @BeforeEach
  void setUp() {
    assertThat(TARGET.resolve("kubectl-modelrollout"))
        .as("built by the package phase (hack/cli/pom.xml)")
        .isExecutable();
    s = Scenario.start("cli-pkg", metrics);
    s.client.resource(CliCluster.autoCanary(s.ns)).create();
    s.client.resource(CliCluster.model(s.ns, "fraud", "auto")).create();
    s.awaitMd("fraud", m -> m.getStatus().phase == Phase.Healthy);
  }

  @AfterEach
  void tearDown() {
    s.close();
  }

  record Run(int code, String out) {}

  static Run kubectl(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(TestCluster.binDir().resolve("kubectl").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    String java = Path.of(System.getProperty("java.home"), "bin").toString();
    pb.environment().put("PATH", TARGET + ":" + java + ":/usr/local/bin:/usr/bin:/bin");
    pb.environment().put("KUBECONFIG", CliRun.adminKubeconfig().toString());
    pb.environment().remove("JAVA_HOME");
    pb.environment().remove("CLASSPATH");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out);
  }

  @Test
  void kubectlFindsBothNamesAndPassesExitCodesThrough() throws Exception {
    Run plugins = kubectl("plugin", "list");
    assertThat(plugins.out())
        .contains(TARGET.resolve("kubectl-modelrollout").toString())
        .contains(TARGET.resolve("kubectl-mr").toString());
    assertThat(Files.isSymbolicLink(TARGET.resolve("kubectl-mr"))).isTrue();

    Run version = kubectl("modelrollout", "--version");
    assertThat(version.code()).isZero();
    assertThat(version.out()).startsWith("kubectl-modelrollout 0.1.0");

    Run list = kubectl("mr", "list", "-n", s.ns);
    assertThat(list.code()).as(list.out()).isZero();
    assertThat(list.out()).startsWith("NAME ").contains("fraud ");

    Run set = kubectl("modelrollout", "set", "version", "fraud", "2.0.0", "-n", s.ns);
    assertThat(set.code()).as(set.out()).isZero();
    Run wait = kubectl("mr", "wait", "fraud", "-n", s.ns, "--timeout=90s");
    assertThat(wait.code()).as(wait.out()).isZero();
    assertThat(wait.out()).contains("fraud: version 2.0.0 promoted");

    Run get = kubectl("mr", "get", "fraud", "-n", s.ns);
    assertThat(get.out()).contains("Phase:       Healthy").doesNotContain("\u001b");
    Run missing = kubectl("mr", "wait", "nope", "-n", s.ns);
    assertThat(missing.code()).isEqualTo(ExitCodes.NOT_FOUND);
    Run usage = kubectl("mr", "wait");
    assertThat(usage.code()).isEqualTo(ExitCodes.USAGE);
  }
}
