package io.modelrollout.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.modelrollout.operator.testing.TestCluster;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The pipelines of examples/ci parse as YAML, run staging before production, wait with {@code
 * kubectl modelrollout wait}, their scripts pass {@code sh -n}/{@code bash -n}, and every
 * invocation of the plugin in them parses with the CLI's own command line.
 */
class CiExamplesTest {
  static final Path CI = TestCluster.projectDir().resolve("examples/ci");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static List<JsonNode> docs(Path f) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    try (var parser = YAML.getFactory().createParser(f.toFile())) {
      var it = YAML.readValues(parser, JsonNode.class);
      while (it.hasNext()) {
        out.add(it.next());
      }
    }
    return out;
  }

  @Test
  void githubActionsWaitsInStagingThenOpensTheProductionChange() throws Exception {
    JsonNode wf = docs(CI.resolve("github-actions.yaml")).get(0);
    JsonNode jobs = wf.get("jobs");
    assertThat(jobs.get("production").get("needs").asText()).isEqualTo("staging");
    List<String> staging = runs(jobs.get("staging").get("steps"));
    int apply = indexOf(staging, "kubectl modelrollout set version");
    int wait = indexOf(staging, "kubectl modelrollout wait");
    assertThat(apply).isNotNegative().isLessThan(wait);
    assertThat(staging.get(wait)).contains("--for=promoted").contains("exit \"$code\"");
    assertThat(String.join("\n", runs(jobs.get("production").get("steps"))))
        .contains("gh pr create");
    int calls = 0;
    for (String script : staging) {
      syntax("bash", script);
      calls += invocations(script).size();
      invocations(script).forEach(CiExamplesTest::parses);
    }
    assertThat(calls).as("set version and wait").isEqualTo(2);
    runs(jobs.get("production").get("steps")).forEach(s -> syntax("bash", s));
  }

  @Test
  void tektonRunsProductionAfterStagingWithTheSameTask() throws Exception {
    List<JsonNode> docs = docs(CI.resolve("tekton/pipeline.yaml"));
    JsonNode task = find(docs, "Task");
    JsonNode pipeline = find(docs, "Pipeline");
    JsonNode tasks = pipeline.get("spec").get("tasks");
    assertThat(tasks.get(0).get("name").asText()).isEqualTo("staging");
    assertThat(tasks.get(1).get("runAfter").get(0).asText()).isEqualTo("staging");
    for (JsonNode t : tasks) {
      assertThat(t.get("taskRef").get("name").asText())
          .isEqualTo(task.get("metadata").get("name").asText());
    }
    List<String> scripts = new ArrayList<>();
    task.get("spec").get("steps").forEach(s -> scripts.add(s.get("script").asText()));
    assertThat(String.join("\n", scripts))
        .contains("kubectl-modelrollout wait")
        .contains("exit \"$code\"");
    int calls = 0;
    for (String script : scripts) {
      syntax("sh", script);
      calls += invocations(script).size();
      invocations(script).forEach(CiExamplesTest::parses);
    }
    assertThat(calls).as("set version, wait, and get on failure").isEqualTo(3);
    List<JsonNode> rbac = docs(CI.resolve("tekton/rbac.yaml"));
    assertThat(find(rbac, "ClusterRole").get("rules").get(0).get("verbs").toString())
        .contains("get", "list", "watch", "patch");
  }

  static JsonNode find(List<JsonNode> docs, String kind) {
    return docs.stream().filter(d -> kind.equals(d.get("kind").asText())).findFirst().orElseThrow();
  }

  static List<String> runs(JsonNode steps) {
    List<String> out = new ArrayList<>();
    steps.forEach(s -> out.add(s.has("run") ? s.get("run").asText() : ""));
    return out;
  }

  static int indexOf(List<String> scripts, String text) {
    for (int i = 0; i < scripts.size(); i++) {
      if (scripts.get(i).contains(text)) return i;
    }
    return -1;
  }

  /** {@code shell -n}: the script parses. */
  static void syntax(String shell, String script) {
    try {
      Process p = new ProcessBuilder(shell, "-n").redirectErrorStream(true).start();
      p.getOutputStream().write(script.getBytes());
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes());
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("%s -n:\n%s\n%s", shell, script, out).isZero();
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The arguments of each call of the plugin in {@code script}, variables as placeholders. */
  static List<List<String>> invocations(String script) {
    String joined = script.replace("\\\n", " ");
    List<List<String>> out = new ArrayList<>();
    Matcher m = Pattern.compile("(?m)^\\s*kubectl[ -]modelrollout ([^\\n|>]*)").matcher(joined);
    while (m.find()) {
      List<String> args = new ArrayList<>();
      Matcher t = Pattern.compile("\"[^\"]*\"|'[^']*'|\\S+").matcher(m.group(1));
      while (t.find()) {
        String tok = t.group();
        if (tok.startsWith("\"") || tok.startsWith("'")) {
          tok = tok.substring(1, tok.length() - 1);
        }
        args.add(tok.replaceAll("\\$\\([a-z.-]+\\)|\\$[A-Z_]+|\\$\\{[A-Z_]+}", "x"));
      }
      out.add(args);
    }
    return out;
  }

  static void parses(List<String> args) {
    CliEnv env =
        new CliEnv(
            new PrintWriter(new StringWriter()),
            new PrintWriter(new StringWriter()),
            Clock.systemUTC(),
            false,
            0,
            0,
            Map.of());
    new CommandLine(new ModelRolloutCli(env)).parseArgs(args.toArray(String[]::new));
  }

  @Test
  void invocationsAreFound() {
    assertThat(
            invocations(
                "kubectl modelrollout wait \"$MODEL\" -n \"$NS\" --timeout=30m -o json > w"))
        .containsExactly(List.of("wait", "x", "-n", "x", "--timeout=30m", "-o", "json"));
    assertThat(Files.exists(CI.resolve("Containerfile"))).isTrue();
  }
}
