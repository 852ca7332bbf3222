package io.modelrollout.operator.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelrollout.operator.testing.TestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Grafana dashboard and what a test needs from PromQL: expressions and metric names. */
final class Dashboard {
  private static final Set<String> KEYWORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "bool",
          "offset",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right");

  private Dashboard() {}

  static Path file() {
    return TestCluster.projectDir()
        .resolve("helm/model-rollout-operator/dashboards/model-rollout-operator.json");
  }

  /** Every PromQL expression: panel targets, template variable queries and annotations. */
  static List<String> expressions() throws IOException {
    JsonNode root = new ObjectMapper().readTree(Files.readString(file()));
    List<String> out = new ArrayList<>();
    for (JsonNode p : root.path("panels")) {
      for (JsonNode t : p.path("targets")) {
        out.add(t.path("expr").asText());
      }
    }
    for (JsonNode a : root.path("annotations").path("list")) {
      if (a.has("expr")) {
        out.add(a.path("expr").asText());
      }
    }
    for (JsonNode v : root.path("templating").path("list")) {
      String q = v.path("query").path("query").asText("");
      Matcher m = Pattern.compile("^label_values\\((.*),\\s*\\w+\\)$").matcher(q);
      if (m.matches()) {
        out.add(m.group(1)); // the series selector inside Grafana's label_values()
      }
    }
    return out;
  }

  /** Grafana's variables replaced by values Prometheus accepts. */
  static String substituted(String expr) {
    return expr.replace("$__rate_interval", "2m")
        .replace("$__range", "6h")
        .replace("$__interval", "1m")
        .replace("$namespace", ".*")
        .replace("$name", ".*");
  }

  /**
   * The metric names an expression selects (a light PromQL tokenizer, after promtool parsed it).
   */
  static Set<String> metricNames(String expr) {
    String s = expr.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"");
    s = s.replaceAll("\\{[^}]*}", " ");
    s = s.replaceAll("\\[[^]]*]", " ");
    s = s.replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    Set<String> out = new TreeSet<>();
    Matcher m = Pattern.compile("(?<![\\w.])[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(s);
    while (m.find()) {
      String id = m.group();
      String rest = s.substring(m.end()).stripLeading();
      if (KEYWORDS.contains(id) || rest.startsWith("(")) {
        continue; // a keyword, a function or an aggregation
      }
      out.add(id);
    }
    return out;
  }
}
