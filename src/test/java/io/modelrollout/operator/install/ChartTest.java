package io.modelrollout.operator.install;

import static io.modelrollout.operator.install.Chart.at;
import static io.modelrollout.operator.install.Chart.objects;
import static io.modelrollout.operator.install.Chart.ofKind;
import static io.modelrollout.operator.install.Chart.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import io.modelrollout.operator.testing.TestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The Helm chart rendered by a real Helm engine: lint, defaults, every option, the schema. */
class ChartTest {
  static final String NS = "mro-system";

  /** The chart's permissions on namespaced objects; the README's Permissions table says why. */
  static final List<Map<String, Object>> RULES =
      List.of(
          rule("modelrollout.io", "modeldeployments", "list", "watch", "patch"),
          rule("modelrollout.io", "modeldeployments/status", "patch"),
          rule("modelrollout.io", "rolloutpolicies", "list", "watch"),
          rule("apps", "deployments", "list", "watch", "create", "patch", "delete"),
          rule("apps", "replicasets", "list", "watch"),
          rule("", "services", "list", "watch", "create", "patch", "delete"),
          rule("batch", "cronjobs", "list", "watch", "create", "patch"),
          rule("batch", "jobs", "list", "watch", "create", "patch", "delete"),
          rule("apps", "controllerrevisions", "list", "watch", "create", "patch", "delete"),
          rule("apps", "daemonsets", "list", "watch", "create", "patch", "delete"),
          rule("", "pods", "list", "watch"),
          rule(
              "autoscaling",
              "horizontalpodautoscalers",
              "list",
              "watch",
              "create",
              "patch",
              "delete"),
          rule("", "events", "create"),
          rule(
              "gateway.networking.k8s.io",
              "httproutes",
              "get",
              "list",
              "watch",
              "create",
              "update",
              "delete"),
          rule(
              "networking.istio.io",
              "virtualservices",
              "get",
              "list",
              "watch",
              "create",
              "update",
              "delete"),
          rule("", "secrets", "get"));

  @Test
  void lintsClean() {
    LintResult lint = Chart.helm().lint().strict().call();
    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
  }

  @Test
  void chartCrdsAreTheGeneratedOnes() throws IOException {
    Path top = TestCluster.projectDir().resolve("crds");
    Path chart = Chart.dir().resolve("crds");
    assertThat(names(chart)).as("helm/model-rollout-operator/crds/").isEqualTo(names(top));
    for (String n : names(top)) {
      assertThat(Files.readString(chart.resolve(n)))
          .as(
              "helm/model-rollout-operator/crds/%s differs from crds/%s: cp crds/*.yml into it",
              n, n)
          .isEqualTo(Files.readString(top.resolve(n)));
    }
  }

  @Test
  void imageIsWhatTheBuildProduces() throws IOException {
    String pom = Files.readString(TestCluster.projectDir().resolve("pom.xml"));
    String version =
        first(pom, "<artifactId>model-rollout-operator</artifactId>\\s*<version>([^<]+)</version>");
    String repository = first(pom, "<mro.image.repository>([^<]+)</mro.image.repository>");
    Map<String, Object> chartYaml = Chart.yaml(Files.readString(Chart.dir().resolve("Chart.yaml")));
    Map<String, Object> values = Chart.yaml(Files.readString(Chart.dir().resolve("values.yaml")));
    assertThat(chartYaml.get("appVersion")).isEqualTo(version);
    assertThat(chartYaml.get("version")).isEqualTo(version);
    assertThat((String) at(values, "image", "repository")).isEqualTo(repository);
    assertThat((String) at(values, "image", "tag")).as("empty: the appVersion").isEmpty();
    var deployment = ofKind(objects(template(NS, Map.of())), "Deployment").get(0);
    assertThat((String) at(container(deployment), "image")).isEqualTo(repository + ":" + version);
  }

  @Test
  void defaultsWatchAllNamespacesWithOneClusterRoleAndRestrictedPods() {
    var objects = objects(template(NS, Map.of()));
    assertThat(objects.stream().map(o -> (String) o.get("kind")).sorted())
        .containsExactly(
            "ClusterRole", "ClusterRoleBinding", "Deployment", "Service", "ServiceAccount");
    var role = ofKind(objects, "ClusterRole").get(0);
    assertThat((List<?>) role.get("rules")).isEqualTo(RULES);
    var binding = ofKind(objects, "ClusterRoleBinding").get(0);
    assertThat((Map<String, Object>) at(binding, "subjects", 0))
        .containsEntry("kind", "ServiceAccount")
        .containsEntry("name", "mro-model-rollout-operator")
        .containsEntry("namespace", NS);

    var deployment = ofKind(objects, "Deployment").get(0);
    assertThat((Integer) at(deployment, "spec", "replicas")).isEqualTo(1);
    Map<String, Object> pod = at(deployment, "spec", "template", "spec");
    assertThat((Map<String, Object>) pod.get("securityContext"))
        .containsEntry("runAsNonRoot", true)
        .containsEntry("seccompProfile", Map.of("type", "RuntimeDefault"));
    Map<String, Object> c = container(deployment);
    assertThat((Map<String, Object>) c.get("securityContext"))
        .containsEntry("allowPrivilegeEscalation", false)
        .containsEntry("readOnlyRootFilesystem", true)
        .containsEntry("capabilities", Map.of("drop", List.of("ALL")));
    assertThat((List<Map<String, Object>>) c.get("volumeMounts"))
        .singleElement()
        .satisfies(m -> assertThat(m).containsEntry("mountPath", "/tmp"));
    assertThat((String) at(c, "readinessProbe", "httpGet", "path")).isEqualTo("/q/health/ready");
    assertThat((String) at(c, "livenessProbe", "httpGet", "path")).isEqualTo("/q/health/live");
    assertThat((String) at(c, "startupProbe", "httpGet", "path")).isEqualTo("/q/health/started");
    assertThat(env(c))
        .containsEntry("MRO_WATCH_NAMESPACES", "")
        .containsEntry("MRO_LEADER_ELECTION", "false")
        .containsEntry("MRO_PROMETHEUS_ADDRESS", "")
        .containsEntry("MRO_STATUS_FLUSH_INTERVAL", "10s")
        .containsEntry("QUARKUS_LOG_LEVEL", "INFO")
        .containsEntry("QUARKUS_LOG_CATEGORY__IO_MODELROLLOUT__LEVEL", "INFO")
        .as("no prometheus.authSecret: no token")
        .doesNotContainKey("MRO_PROMETHEUS_TOKEN");
    assertThat(ofKind(objects, "Service").get(0))
        .satisfies(s -> assertThat((Integer) at(s, "spec", "ports", 0, "port")).isEqualTo(8080));
  }

  @Test
  void watchedNamespacesGetRolesAndNoClusterRole() {
    var objects =
        objects(
            template(
                NS,
                Map.of(
                    "watchNamespaces[0]", "team-a",
                    "watchNamespaces[1]", "team-b",
                    "prometheus.address", "http://prometheus.monitoring:9090",
                    "log.level", "DEBUG")));
    assertThat(ofKind(objects, "ClusterRole")).isEmpty();
    assertThat(ofKind(objects, "ClusterRoleBinding")).isEmpty();
    var roles = ofKind(objects, "Role");
    assertThat(roles.stream().map(r -> (String) at(r, "metadata", "namespace")))
        .containsExactlyInAnyOrder("team-a", "team-b");
    roles.forEach(r -> assertThat((List<?>) r.get("rules")).isEqualTo(RULES));
    assertThat(ofKind(objects, "RoleBinding"))
        .hasSize(2)
        .allSatisfy(
            b ->
                assertThat((String) at(b, "subjects", 0, "namespace"))
                    .as("the ServiceAccount lives in the release namespace")
                    .isEqualTo(NS));
    assertThat(env(container(ofKind(objects, "Deployment").get(0))))
        .containsEntry("MRO_WATCH_NAMESPACES", "team-a,team-b")
        .containsEntry("MRO_PROMETHEUS_ADDRESS", "http://prometheus.monitoring:9090")
        .containsEntry("QUARKUS_LOG_CATEGORY__IO_MODELROLLOUT__LEVEL", "DEBUG");
  }

  @Test
  void moreThanOneReplicaElectsALeaderAndGetsADisruptionBudget() {
    var single = objects(template(NS, Map.of()));
    assertThat(ofKind(single, "PodDisruptionBudget")).isEmpty();
    assertThat(ofKind(single, "Role")).as("no lease permissions without leader election").isEmpty();

    var objects = objects(template(NS, Map.of("replicas", 3)));
    var deployment = ofKind(objects, "Deployment").get(0);
    assertThat((Integer) at(deployment, "spec", "replicas")).isEqualTo(3);
    Map<String, Object> env = env(container(deployment));
    assertThat(env)
        .containsEntry("MRO_LEADER_ELECTION", "true")
        .containsEntry("MRO_LEASE_NAME", "mro-model-rollout-operator");
    assertThat(env.get("MRO_LEASE_NAMESPACE"))
        .as("from the downward API")
        .isEqualTo(Map.of("fieldRef", Map.of("fieldPath", "metadata.namespace")));
    assertThat(ofKind(objects, "PodDisruptionBudget"))
        .singleElement()
        .satisfies(p -> assertThat((Integer) at(p, "spec", "maxUnavailable")).isEqualTo(1));
    var lease = ofKind(objects, "Role").get(0);
    assertThat((String) at(lease, "metadata", "namespace")).isEqualTo(NS);
    assertThat((List<?>) lease.get("rules"))
        .isEqualTo(
            List.of(
                rule("coordination.k8s.io", "leases", "create"),
                Map.of(
                    "apiGroups", List.of("coordination.k8s.io"),
                    "resources", List.of("leases"),
                    "resourceNames", List.of("mro-model-rollout-operator"),
                    "verbs", List.of("get", "update", "patch"))));
  }

  @Test
  void secretsCanBeLeftOut() {
    var role =
        ofKind(objects(template(NS, Map.of("rbac.readSecrets", false))), "ClusterRole").get(0);
    assertThat((List<?>) role.get("rules")).isEqualTo(RULES.subList(0, RULES.size() - 1));
  }

  @Test
  void edgeModeAddsNodeAccessClusterWideOnlyWhenEnabled() {
    var off = objects(template(NS, Map.of()));
    assertThat(env(container(ofKind(off, "Deployment").get(0))))
        .containsEntry("MRO_EDGE_ENABLED", "false");
    assertThat(ofKind(off, "ClusterRole")).as("no node access by default").hasSize(1);
    // with watched namespaces too: nodes are not namespaced
    var on = objects(template(NS, Map.of("edge.enabled", true, "watchNamespaces[0]", "fleet-a")));
    assertThat(env(container(ofKind(on, "Deployment").get(0))))
        .containsEntry("MRO_EDGE_ENABLED", "true");
    var role = ofKind(on, "ClusterRole").get(0);
    assertThat((String) at(role, "metadata", "name"))
        .isEqualTo("mro-model-rollout-operator-edge-nodes");
    assertThat((List<?>) role.get("rules"))
        .isEqualTo(List.of(rule("", "nodes", "list", "watch", "patch")));
    assertThat(ofKind(on, "ClusterRoleBinding"))
        .singleElement()
        .satisfies(
            b ->
                assertThat((String) at(b, "subjects", 0, "name"))
                    .isEqualTo("mro-model-rollout-operator"));
    assertThat(ofKind(on, "Role"))
        .singleElement()
        .satisfies(r -> assertThat((List<?>) r.get("rules")).isEqualTo(RULES));
  }

  @Test
  void everyOptionalFeatureRenders() throws IOException {
    var objects = objects(template(NS, OptionalFeatures.VALUES));
    assertThat(ofKind(objects, "ServiceMonitor"))
        .singleElement()
        .satisfies(
            m -> {
              assertThat((String) at(m, "spec", "endpoints", 0, "path")).isEqualTo("/q/metrics");
              assertThat((String) at(m, "spec", "endpoints", 0, "port")).isEqualTo("http");
              assertThat((Boolean) at(m, "spec", "endpoints", 0, "honorLabels"))
                  .as("the metrics' own namespace label wins over the target's")
                  .isTrue();
            });
    assertThat(env(container(ofKind(objects, "Deployment").get(0))))
        .as("prometheus.authSecret: the default Prometheus's token by secretKeyRef")
        .containsEntry(
            "MRO_PROMETHEUS_TOKEN",
            Map.of("secretKeyRef", Map.of("name", "prometheus-operator-auth", "key", "token")));
    var rule = ofKind(objects, "PrometheusRule").get(0);
    List<Map<String, Object>> rules = at(rule, "spec", "groups", 0, "rules");
    assertThat(rules.stream().map(r -> (String) r.get("alert")))
        .containsExactly(
            "ModelRolloutRolledBack",
            "ModelRolloutStuck",
            "ModelRolloutGateInconclusive",
            "ModelRolloutOperatorDown",
            "ModelRolloutReconcileFailing",
            "ModelRolloutOperatorNotReconciling");
    var dashboard = ofKind(objects, "ConfigMap").get(0);
    assertThat((String) at(dashboard, "metadata", "labels", "grafana_dashboard")).isEqualTo("1");
    assertThat((String) at(dashboard, "data", "model-rollout-operator.json"))
        .isEqualTo(Files.readString(Dashboard.file()).strip());
  }

  @Test
  void prometheusAuthSecretIsReadByTheKubeletNotByTheOperator() {
    var objects =
        objects(
            template(
                NS,
                Map.of(
                    "prometheus.authSecret.name", "prom-token",
                    "prometheus.authSecret.key", "bearer")));
    assertThat(env(container(ofKind(objects, "Deployment").get(0))))
        .containsEntry(
            "MRO_PROMETHEUS_TOKEN",
            Map.of("secretKeyRef", Map.of("name", "prom-token", "key", "bearer")));
    assertThat((List<?>) ofKind(objects, "ClusterRole").get(0).get("rules"))
        .as("no permission on the release namespace's Secrets")
        .isEqualTo(RULES);
  }

  /**
   * The image's own java command with the environment the chart gives its container: a flag in
   * {@code jvmOptions} wins over the same flag on the image's command line, the others stay.
   */
  @Test
  void jvmOptionsOverrideTheImageFlags() throws Exception {
    var values =
        Map.<String, Object>of("jvmOptions", "-XX:MaxRAMPercentage=50.0 -XX:MaxNewSize=64m");
    Map<String, Object> env =
        env(container(ofKind(objects(template(NS, values)), "Deployment").get(0)));
    List<String> cmd = new java.util.ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(ImageEntrypoint.jvmFlags());
    assertThat(cmd).contains("-XX:MaxRAMPercentage=75.0", "-XX:MaxNewSize=32m");
    cmd.addAll(List.of("-XX:+PrintFlagsFinal", "-version"));
    ProcessBuilder java = new ProcessBuilder(cmd).redirectErrorStream(true);
    java.environment()
        .keySet()
        .removeIf(k -> k.contains("JAVA_OPTIONS") || k.equals("JAVA_TOOL_OPTIONS"));
    env.forEach(
        (k, v) -> {
          if (v instanceof String s) {
            java.environment().put(k, s);
          }
        });
    Process p = java.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();
    assertThat(finalFlag(out, "MaxRAMPercentage")).isEqualTo("50.000000");
    assertThat(finalFlag(out, "MaxNewSize")).isEqualTo(String.valueOf(64L << 20));
    assertThat(finalFlag(out, "UseSerialGC")).as("the image's other flags stay").isEqualTo("true");
    assertThat(finalFlag(out, "TieredStopAtLevel")).isEqualTo("1");
  }

  private static String finalFlag(String printFlagsFinal, String name) {
    Matcher m = Pattern.compile("\\s" + name + "\\s+:?=\\s+(\\S+)").matcher(printFlagsFinal);
    assertThat(m.find()).as("flag %s in %s", name, printFlagsFinal).isTrue();
    return m.group(1);
  }

  @Test
  void schemaRejectsAWrongType() {
    assertThatThrownBy(() -> template(NS, Map.of("replicas", "two")))
        .hasMessageContaining("replicas")
        .hasMessageContaining("integer");
    assertThatThrownBy(() -> template(NS, Map.of("watchNamespaces", "team-a")))
        .hasMessageContaining("watchNamespaces");
    assertThatThrownBy(() -> template(NS, Map.of("serviceMonitor.enabled", "yes")))
        .hasMessageContaining("serviceMonitor");
    assertThatThrownBy(() -> template(NS, Map.of("prometheus.authSecret", "my-secret")))
        .as("authSecret is {name, key}")
        .hasMessageContaining("authSecret");
    assertThatThrownBy(() -> template(NS, Map.of("prometheus.authSecret.name", "Not_A_Name")))
        .hasMessageContaining("authSecret");
    assertThatThrownBy(() -> template(NS, Map.of("imageTag", "1.0")))
        .as("a misspelt key")
        .hasMessageContaining("imageTag");
  }

  /**
   * The commands of README's "Install with Helm" section, checked against the chart and the build
   * as written: image commands skip the unit tests and name properties the pom knows, the helm
   * commands render with their values, and the names later commands use (Deployment, namespace,
   * Secret and key, files) are the ones the chart and the repository have.
   */
  @Test
  void readmeInstallCommandsMatchTheChartAndTheBuild() throws IOException {
    Path project = TestCluster.projectDir();
    String readme = Files.readString(project.resolve("README.md"));
    int start = readme.indexOf("## Install with Helm");
    String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
    String pom = Files.readString(project.resolve("pom.xml"));
    String makefile = Files.readString(project.resolve("Makefile"));
    assertThat(makefile)
        .containsPattern("(?m)^image:\\n\\t\\./mvnw -B package -DskipTests -Pimage$");
    assertThat(section).contains("`make image` (`./mvnw package -DskipTests -Pimage`");
    String tar =
        first(pom, "<mro.image.tar>\\$\\{project.build.directory}/([^<]+)</mro.image.tar>");
    assertThat(section).contains("target/" + tar);

    List<String> commands = new java.util.ArrayList<>();
    Matcher block = Pattern.compile("(?s)```sh\\n(.*?)```").matcher(section);
    while (block.find()) {
      commands.addAll(
          Stream.of(block.group(1).replace("\\\n", " ").split("\n")).map(String::strip).toList());
    }
    String pushedRepository = null;
    String helmNamespace = null;
    String deployment = null;
    Map<String, Object> helmValues = null;
    int checked = 0;
    for (String line : commands) {
      List<String> w = List.of(line.split("\\s+"));
      if (line.startsWith("./mvnw ")) {
        assertThat(w).as(line).contains("package", "-DskipTests", "-Pimage");
        for (String a : w) {
          Matcher d = Pattern.compile("^-D(mro\\.[a-z.]+)=(.*)$").matcher(a);
          if (d.matches()) {
            assertThat(pom).as("the pom reads %s", d.group(1)).contains("${" + d.group(1) + "}");
            if (d.group(1).equals("mro.image.repository")) {
              pushedRepository = d.group(2);
            }
          }
        }
        checked++;
      } else if (line.startsWith("# with a pushed image: --set image.repository=")) {
        assertThat(line).endsWith("=" + pushedRepository);
        checked++;
      } else if (line.startsWith("helm install ") || line.startsWith("helm upgrade --install ")) {
        int at = line.startsWith("helm install ") ? 2 : 3;
        String release = w.get(at);
        assertThat(w.get(at + 1)).isEqualTo("helm/model-rollout-operator");
        assertThat(project.resolve(w.get(at + 1)).resolve("Chart.yaml")).exists();
        Map<String, Object> values = new java.util.LinkedHashMap<>();
        String ns = null;
        for (int i = at + 2; i < w.size(); i++) {
          if (w.get(i).equals("--namespace") || w.get(i).equals("-n")) {
            ns = w.get(++i);
          } else if (w.get(i).equals("--set")) {
            String[] kv = w.get(++i).split("=", 2);
            values.put(kv[0], kv[1]);
          }
        }
        assertThat(ns).as(line).isNotNull();
        assertThat(helmNamespace == null || helmNamespace.equals(ns)).as(line).isTrue();
        helmNamespace = ns;
        helmValues = values;
        var rendered = objects(Chart.template(release, ns, values));
        deployment = Chart.name(ofKind(rendered, "Deployment").get(0));
        assertThat((String) at(ofKind(rendered, "Deployment").get(0), "metadata", "namespace"))
            .isEqualTo(ns);
        checked++;
      } else if (line.startsWith("kubectl -n ") && line.contains(" deployment/")) {
        assertThat(w.get(2)).as(line).isEqualTo(helmNamespace);
        assertThat(line).as(line).endsWith(" deployment/" + deployment);
        checked++;
      } else if (line.startsWith("kubectl -n ") && line.contains(" create secret generic ")) {
        assertThat(w.get(2)).as(line).isEqualTo(helmNamespace);
        Matcher secret =
            Pattern.compile("create secret generic (\\S+) --from-literal=([^=]+)=").matcher(line);
        assertThat(secret.find()).as(line).isTrue();
        String commandsAfter =
            String.join("\n", commands.subList(commands.indexOf(line), commands.size()));
        assertThat(commandsAfter)
            .as("the helm command after it names the Secret")
            .contains("--set prometheus.authSecret.name=" + secret.group(1));
        Map<String, Object> values =
            Chart.yaml(Files.readString(Chart.dir().resolve("values.yaml")));
        assertThat((String) at(values, "prometheus", "authSecret", "key"))
            .as("the chart's default key")
            .isEqualTo(secret.group(2));
        checked++;
      } else if (line.startsWith("kubectl apply ")) {
        for (int i = 0; i < w.size(); i++) {
          if (w.get(i).equals("-f")) {
            assertThat(project.resolve(w.get(i + 1))).as(line).exists();
          }
        }
        checked++;
      }
    }
    assertThat(helmValues).as("a helm install command").isNotNull();
    assertThat(checked).as("commands checked").isEqualTo(7);
  }

  static Map<String, Object> rule(String group, String resource, String... verbs) {
    return Map.of(
        "apiGroups", List.of(group), "resources", List.of(resource), "verbs", List.of(verbs));
  }

  static Map<String, Object> container(Map<String, Object> deployment) {
    return at(deployment, "spec", "template", "spec", "containers", 0);
  }

  /** Container env as name to value (or to valueFrom). */
  static Map<String, Object> env(Map<String, Object> container) {
    List<Map<String, Object>> env = at(container, "env");
    return env.stream()
        .collect(
            Collectors.toMap(
                e -> (String) e.get("name"),
                e -> e.containsKey("value") ? e.get("value") : e.get("valueFrom")));
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static String first(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as(regex).isTrue();
    return m.group(1);
  }
}
