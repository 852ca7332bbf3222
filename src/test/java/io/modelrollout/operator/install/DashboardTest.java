package io.modelrollout.operator.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard and the PrometheusRule's alerts: every expression parses (promtool from
 * Debian's prometheus package) and names only metrics the operator exports.
 */
class DashboardTest {
  @Test
  void dashboardQueriesParseAndUseOnlyOperatorMetrics() throws Exception {
    List<String> exprs = Dashboard.expressions();
    assertThat(exprs).hasSizeGreaterThan(10);
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
    for (int i = 0; i < exprs.size(); i++) {
      rules
          .append("      - record: dashboard:expr_")
          .append(i)
          .append("\n        expr: ")
          .append(quoted(Dashboard.substituted(exprs.get(i))))
          .append('\n');
    }
    Promtool.checkRules(rules.toString());
    assertThat(names(exprs.stream().map(Dashboard::substituted).toList()))
        .isSubsetOf(OperatorMetrics.all())
        .contains(
            "modelrollout_canary_weight",
            "modelrollout_stable_weight",
            "modelrollout_gate_value",
            "modelrollout_gate_threshold",
            "modelrollout_phase",
            "modelrollout_rollbacks_total");
  }

  @Test
  void gateValuesAreDrawnAgainstTheirThresholds() throws IOException {
    var root =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(Files.readString(Dashboard.file()));
    List<String> exprs = new java.util.ArrayList<>();
    for (var p : root.path("panels")) {
      if ("Gate values".equals(p.path("title").asText())) {
        p.path("targets").forEach(t -> exprs.add(t.path("expr").asText()));
      }
    }
    assertThat(exprs).hasSize(2);
    assertThat(Dashboard.metricNames(exprs.get(0))).containsExactly("modelrollout_gate_value");
    assertThat(Dashboard.metricNames(exprs.get(1))).containsExactly("modelrollout_gate_threshold");
    assertThat(exprs.get(1)).contains("by (namespace, name, gate, bound)");
  }

  @Test
  void alertsParseAndUseOnlyOperatorMetrics() throws Exception {
    var rule =
        Chart.ofKind(
                Chart.objects(Chart.template("mro-system", OptionalFeatures.VALUES)),
                "PrometheusRule")
            .get(0);
    Map<String, Object> spec = Chart.at(rule, "spec");
    String file = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(spec);
    Promtool.checkRules(file); // JSON is YAML
    List<Map<String, Object>> alerts = Chart.at(spec, "groups", 0, "rules");
    List<String> exprs = alerts.stream().map(a -> (String) a.get("expr")).toList();
    Set<String> allowed = new TreeSet<>(OperatorMetrics.all());
    allowed.addAll(OperatorMetrics.FROM_PROMETHEUS);
    assertThat(names(exprs)).isSubsetOf(allowed);
  }

  @Test
  void tokenizerFindsMetricNames() {
    assertThat(
            Dashboard.metricNames(
                "sum by (namespace, name) (rate(a_total{x=\"y(\", b=~\"c\"}[5m])) / on (name)"
                    + " group_left max(b_seconds{quantile=\"0.95\"}) > bool 0.5 unless absent(up{job=\"j\"} == 1)"))
        .containsExactly("a_total", "b_seconds", "up");
  }

  @Test
  void readmeDocumentsEveryMetric() throws IOException {
    String readme =
        Files.readString(
            io.modelrollout.operator.testing.TestCluster.projectDir().resolve("README.md"));
    for (String m : OperatorMetrics.all()) {
      String base = m.replaceAll("_(bucket|count|sum|max)$", "");
      assertThat(readme).as("README documents %s", m).contains(base);
    }
  }

  @Test
  void everyMetricTheReadmeDocumentsIsAnOperatorMetric() throws IOException {
    String readme =
        Files.readString(
            io.modelrollout.operator.testing.TestCluster.projectDir().resolve("README.md"));
    String section =
        readme.substring(
            readme.indexOf("## Metrics, dashboard and alerts"), readme.indexOf("\n## Scale"));
    Set<String> documented = new TreeSet<>();
    var m =
        java.util.regex.Pattern.compile("`((?:modelrollout|operator_sdk)_[a-z0-9_]+)`")
            .matcher(section);
    while (m.find()) {
      documented.add(m.group(1));
    }
    Set<String> known = new TreeSet<>();
    for (String name : OperatorMetrics.all()) {
      known.add(name);
      known.add(name.replaceAll("_(bucket|count|sum|max)$", ""));
    }
    assertThat(documented).hasSizeGreaterThan(15).isSubsetOf(known);
  }

  private static Set<String> names(List<String> exprs) {
    Set<String> out = new TreeSet<>();
    exprs.forEach(e -> out.addAll(Dashboard.metricNames(e)));
    return out;
  }

  private static String quoted(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
