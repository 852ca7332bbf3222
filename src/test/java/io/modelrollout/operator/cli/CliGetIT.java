package io.modelrollout.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.testing.Scenario;
import io.modelrollout.operator.testing.ScriptedMetrics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * get, get --watch, list and history against the real API server with the operator running; text
 * and documents.
 */
class CliGetIT {
  final ScriptedMetrics metrics = new ScriptedMetrics().answer("version=\"2.0.0\"", 0.001);
  Scenario s;

  @BeforeEach
  void setUp() {
    s = Scenario.start("cli-get", metrics);
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

  @Test
  void getShowsTheRolloutAsTextAndAsADocument() throws Exception {
    CliCluster.setVersion(s.client, s.ns, "fraud", "2.0.0");
    s.awaitMd("fraud", m -> m.getStatus().phase == Phase.Paused);
    CliRun.Result text = cli("get", "fraud", "-n", s.ns);
    assertThat(text.code()).as(text.toString()).isZero();
    assertThat(text.out())
        .doesNotContain("\u001b")
        .contains("Phase:       Paused")
        .contains("Policy:      manual (Canary)")
        .containsPattern("canary +2\\.0\\.0 +[a-z0-9]{10} +1/1")
        .contains("  + 1  setWeight 50")
        .contains("  + 2  analysis errors")
        .containsPattern("  > 3  pause until promoted +for [0-9]+s, waiting for promote")
        .contains("    4  promote")
        .containsPattern("asked +canary 50% +stable 50%")
        .containsPattern("errors +Pass +0\\.001 +<= 0\\.01 +2/2")
        .contains("RolloutStarted")
        .contains("rolling out version 2.0.0");

    JsonNode json =
        new ObjectMapper().readTree(cli("get", "fraud", "-n", s.ns, "-o", "json").out());
    assertThat(json.get("phase").asText()).isEqualTo("Paused");
    assertThat(json.get("steps").get(2).get("state").asText()).isEqualTo("current");
    assertThat(json.get("steps").get(0).get("state").asText()).isEqualTo("done");
    assertThat(json.get("weights").get("canary").asInt()).isEqualTo(50);
    assertThat(json.get("gates").get(0).get("count").asInt()).isEqualTo(2);
    assertThat(json.get("events").size()).isPositive();
    JsonNode yaml = new YAMLMapper().readTree(cli("get", "fraud", "-n", s.ns, "-o", "yaml").out());
    assertThat(yaml.get("canary").get("version").asText()).isEqualTo("2.0.0");
  }

  @Test
  void watchPrintsAFrameOnEveryChange() throws Exception {
    StringWriter out = new StringWriter();
    AtomicInteger code = new AtomicInteger(-1);
    Thread watch =
        new Thread(
            () ->
                code.set(
                    ModelRolloutCli.run(
                        env(out, false), CliRun.admin("get", "fraud", "-n", s.ns, "--watch"))));
    watch.start();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> snapshot(out).contains("Phase:       Healthy"));
    CliCluster.setVersion(s.client, s.ns, "fraud", "2.0.0");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> snapshot(out).contains("pause until promoted   for"));
    assertThat(cli("promote", "fraud", "-n", s.ns).code()).isZero();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> snapshot(out).matches("(?s).*2\\.0\\.0 +[a-z0-9]{10} +Promoted.*"));
    watch.interrupt();
    watch.join(10_000);
    assertThat(code.get()).isEqualTo(ExitCodes.INTERRUPTED);
    String all = snapshot(out);
    assertThat(all).doesNotContain("\u001b");
    assertThat(all.split("(?m)^--- ").length).as("one frame per change").isGreaterThan(4);
    assertThat(all)
        .contains("  > 1  setWeight 50")
        .contains("  > 2  analysis errors")
        .contains("Last action: promote");
  }

  @Test
  void watchOnATerminalRedrawsInPlaceInColour() throws Exception {
    StringWriter out = new StringWriter();
    Thread watch =
        new Thread(
            () ->
                ModelRolloutCli.run(
                    env(out, true), CliRun.admin("get", "fraud", "-n", s.ns, "-w")));
    watch.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> snapshot(out).contains("Healthy"));
    CliCluster.setVersion(s.client, s.ns, "fraud", "2.0.0");
    await().atMost(Duration.ofSeconds(60)).until(() -> snapshot(out).contains("▶"));
    watch.interrupt();
    watch.join(10_000);
    String all = snapshot(out);
    assertThat(all)
        .startsWith(Terminal.HIDE_CURSOR + Terminal.CLEAR_SCREEN + Terminal.HOME)
        .contains(Terminal.CLEAR_LINE + "\n")
        .contains(Terminal.CLEAR_BELOW + Terminal.HOME)
        .contains("\u001b[32mHealthy\u001b[0m")
        .endsWith(Terminal.SHOW_CURSOR);
  }

  @Test
  void listAndHistory() throws Exception {
    CliRun.Result list = cli("list", "-A");
    assertThat(list.code()).isZero();
    assertThat(list.out())
        .startsWith("NAMESPACE ")
        .containsPattern(s.ns + " +fraud +fraud-detector +1\\.0\\.0 +- +0 +Healthy +- +- +[0-9]+s");
    assertThat(cli("list", "-n", s.ns).out()).startsWith("NAME ");
    CliRun.Result empty = cli("list", "-n", "kube-public");
    assertThat(empty.err()).isEqualTo("No ModelDeployments found in kube-public namespace.\n");

    CliCluster.setVersion(s.client, s.ns, "fraud", "2.0.0");
    s.awaitMd("fraud", m -> m.getStatus().phase == Phase.Paused);
    CliRun.Result history = cli("history", "fraud", "-n", s.ns);
    assertThat(history.out())
        .startsWith("VERSION ")
        .containsPattern("2\\.0\\.0 .* InProgress .* at step 3: pause until promoted")
        .containsPattern("1\\.0\\.0 .* Promoted .* initial version");
    JsonNode doc =
        new ObjectMapper().readTree(cli("history", "fraud", "-n", s.ns, "-o", "json").out());
    assertThat(doc.get("inProgress").get("currentStep").asText()).isEqualTo("pause until promoted");
    assertThat(doc.get("items").get(0).get("outcome").asText()).isEqualTo("Promoted");
  }

  private static CliEnv env(StringWriter out, boolean terminal) {
    return new CliEnv(
        new PrintWriter(out, true),
        new PrintWriter(new StringWriter(), true),
        Clock.systemUTC(),
        terminal,
        terminal ? 200 : 0,
        terminal ? 80 : 0,
        Map.of());
  }

  private static String snapshot(StringWriter out) {
    synchronized (out.getBuffer()) {
      return out.toString();
    }
  }
}
