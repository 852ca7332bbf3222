package io.modelrollout.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.testing.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The CRDs on a real API server: accepted as structural, and bad input rejected readably. */
class CrdValidationIT {
  static KubernetesClient client;
  static String ns;

  @BeforeAll
  static void setUp() {
    client = TestCluster.client();
    ns = TestCluster.newNamespace(client, "crd");
  }

  @AfterAll
  static void tearDown() {
    client.close();
  }

  @Test
  void crdsAreEstablishedAndStructural() {
    for (String name :
        List.of("modeldeployments.modelrollout.io", "rolloutpolicies.modelrollout.io")) {
      CustomResourceDefinition crd =
          client.apiextensions().v1().customResourceDefinitions().withName(name).get();
      assertThat(crd.getStatus().getConditions())
          .anySatisfy(
              c -> {
                assertThat(c.getType()).isEqualTo("Established");
                assertThat(c.getStatus()).isEqualTo("True");
              })
          .noneSatisfy(c -> assertThat(c.getType()).isEqualTo("NonStructuralSchema"));
    }
  }

  @Test
  void aValidModelDeploymentAndPolicyAreAccepted() {
    client
        .resource(
            policy(
                "ok",
                "[{setWeight: 10}, {pause: {duration: 30s}}, {analysis: {gates: [errors]}}]",
                "[{name: errors, prometheus: {query: 'up'}, max: 0.01}]"))
        .create();
    client.resource(model("ok", "2.3.0", "service: {targetPort: http}")).create();
    var md = client.resources(ModelDeployment.class).inNamespace(ns).withName("ok").get();
    assertThat(md.getSpec().replicas).as("defaulted by the schema").isEqualTo(1);
    assertThat(md.getSpec().service.port).as("defaulted by the schema").isEqualTo(80);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "version missing            | version: null              | spec.model.version: Required value",
        "version empty              | version: ''                | spec.model.version in body should be at least 1 chars long",
        "version with spaces        | version: ' 2.0'            | model.version must be non-empty and have no leading or trailing spaces",
        "negative replicas          | replicas: -1               | spec.replicas in body should be greater than or equal to 0",
        "no container               | containers: []             | spec.template.spec.containers in body should have at least 1 items",
        "container without image    | image: null                | spec.template.spec.containers[0].image: Required value",
        "both policyRef and policy  | rollout: both              | set either rollout.policyRef or rollout.policy, not both",
        "GatewayAPI without settings| traffic: GatewayAPI        | traffic.gatewayAPI (with parentRefs) is required when traffic.provider is GatewayAPI",
        "unknown provider           | traffic: Linkerd2          | Unsupported value: \"Linkerd2\"",
        "name too long              | name: long                 | metadata.name must be at most 52 characters",
      })
  void badModelDeploymentsAreRejected(String title, String change, String message) {
    String yaml =
        switch (change.trim()) {
          case "version: null" -> model("a", null, "");
          case "version: ''" -> model("b", "", "");
          case "version: ' 2.0'" -> model("c", " 2.0", "");
          case "replicas: -1" -> model("d", "1", "replicas: -1");
          case "containers: []" -> model("e", "1", "").replace(CONTAINERS, "containers: []");
          case "image: null" ->
              model("f", "1", "")
                  .replace("image: docker.io/seldonio/mlserver:1.6.1", "imagePullPolicy: Always");
          case "rollout: both" ->
              model("g", "1", "rollout: {policyRef: {name: x}, policy: {strategy: BlueGreen}}");
          case "traffic: GatewayAPI" -> model("h", "1", "traffic: {provider: GatewayAPI}");
          case "traffic: Linkerd2" -> model("i", "1", "traffic: {provider: Linkerd2}");
          case "name: long" ->
              model("a-very-long-model-deployment-name-that-does-not-fit-here", "1", "");
          default -> throw new IllegalArgumentException(change);
        };
    assertRejected(yaml, message.trim());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "weight above 100        | [{setWeight: 150}]                          | | spec.canary.steps[0].setWeight in body should be less than or equal to 100",
        "no steps                | []                                          | | spec.canary.steps in body should have at least 1 items",
        "two actions in a step   | [{setWeight: 10, pause: {}}]                | | each canary step sets exactly one of setWeight, pause, analysis, setMirror, setHeaderRoute or setNodePercent",
        "header and cookie in one match | [{setHeaderRoute: {match: [{header: {name: a, value: b}, cookie: {name: c, value: d}}]}}] | | a match sets exactly one of header or cookie",
        "mirror above 100        | [{setMirror: {percent: 101}}]             | | spec.canary.steps[0].setMirror.percent in body should be less than or equal to 100",
        "bad pause duration      | [{pause: {duration: 5 minutes}}]            | | pause.duration must be a duration such as 30s, 5m, 1h30m or 500ms",
        "unknown gate            | [{analysis: {gates: [latency]}}]            | | every gate named in a canary analysis step must be defined in gates",
        "max below min           | [{setWeight: 10}]                           | [{name: g, prometheus: {query: up}, min: 5, max: 1}] | gate max must be greater than or equal to min",
        "no threshold            | [{setWeight: 10}]                           | [{name: g, prometheus: {query: up}}] | a gate needs a threshold",
        "negative failureLimit   | [{setWeight: 10}]                           | [{name: g, prometheus: {query: up}, max: 1, failureLimit: -1}] | failureLimit in body should be greater than or equal to 0",
        "bad gate interval       | [{setWeight: 10}]                           | [{name: g, prometheus: {query: up}, max: 1, interval: soon}] | interval must be a duration such as 30s",
        "duplicate gate names    | [{setWeight: 10}]                           | [{name: g, prometheus: {query: up}, max: 1}, {name: g, prometheus: {query: up}, max: 2}] | gate names must be unique",
        "relative without bound  | [{setWeight: 10}]                           | [{name: g, prometheus: {query: up}, compareTo: Stable}] | compareTo needs a relative bound",
      })
  void badPoliciesAreRejected(String title, String steps, String gates, String message) {
    String g = gates == null || gates.isBlank() ? "[]" : gates.trim();
    assertRejected(policy("p" + Math.abs(title.hashCode()), steps.trim(), g), message.trim());
  }

  static final String SH = "strategy: Shadow, shadow: {mirrorPercent: 10, duration: 1m, gates: [d]";
  static final String D =
      "gates: [{name: d, comparison: {histogram: h, labels: 'v=\"{{version}}\"', maxPSI: 0.1}}]";
  static final String AB =
      "strategy: ABTest, abTest: {minDuration: 1m, maxDuration: 1h, metrics: [{name: c, labels: 'v=\"{{version}}\"'";

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "shadow missing          | strategy: Shadow                                        | shadow is required when strategy is Shadow",
        "shadow unknown gate     | strategy: Shadow, shadow: {mirrorPercent: 10, duration: 1m, gates: [x]} | every gate named in shadow.gates must be defined in gates",
        "mirror 0                | strategy: Shadow, shadow: {mirrorPercent: 0, duration: 1m, gates: [d]}, $D | spec.shadow.mirrorPercent in body should be greater than or equal to 1",
        "canary follow-up empty  | $SH, then: {strategy: Canary}}, $D                     | then.strategy Canary needs exactly one of then.canary or then.policyRef",
        "empty mirror match      | $SH, match: [{}]}, $D                                  | a mirror match sets at least one of method, pathPrefix or headers",
        "lower-case method       | $SH, match: [{method: post}]}, $D                      | method must be an upper-case HTTP method",
        "histogram and classes   | $SH}, gates: [{name: d, comparison: {histogram: h, classes: c, labels: x, maxPSI: 0.1}}] | a comparison sets exactly one of histogram or classes",
        "comparison no threshold | $SH}, gates: [{name: d, comparison: {histogram: h, labels: x}}] | a comparison needs a threshold: maxPSI, maxKS or minPValue",
        "KS on classes           | $SH}, gates: [{name: d, comparison: {classes: c, labels: x, maxKS: 0.1}}] | maxKS needs ordered buckets",
        "query and comparison    | $SH}, gates: [{name: d, prometheus: {query: up}, comparison: {histogram: h, labels: x, maxPSI: 0.1}}] | a gate sets exactly one of prometheus.query or comparison",
        "abTest missing          | strategy: ABTest                                        | abTest is required when strategy is ABTest",
        "significance too large  | $AB, rate: {successes: s, trials: t}}], significance: 0.7} | abTest.significance must be between 0 and 0.5",
        "rate and mean           | $AB, rate: {successes: s, trials: t}, mean: {metric: m, histogram: true}}]} | an A/B metric sets exactly one of rate or mean",
        "mean without variance   | $AB, mean: {metric: m}}]}                                | a mean needs exactly one variance source",
        "unknown guardrail       | $AB, rate: {successes: s, trials: t}}], guardrails: [e]} | every gate named in abTest.guardrails must be defined in gates",
        "treatment weight 100    | $AB, rate: {successes: s, trials: t}}], treatmentWeight: 100} | spec.abTest.treatmentWeight in body should be less than or equal to 99",
      })
  void badShadowAndABTestPoliciesAreRejected(String title, String spec, String message) {
    String body = spec.trim().replace("$SH", SH).replace("$D", D).replace("$AB", AB);
    String yaml =
        "apiVersion: modelrollout.io/v1alpha1\nkind: RolloutPolicy\nmetadata: {name: s"
            + Math.abs(title.hashCode())
            + ", namespace: "
            + ns
            + "}\nspec: {"
            + body
            + "}\n";
    assertRejected(yaml, message.trim());
  }

  @Test
  void canaryStrategyNeedsCanarySettings() {
    String yaml =
        "apiVersion: modelrollout.io/v1alpha1\nkind: RolloutPolicy\nmetadata: {name: nocanary, namespace: "
            + ns
            + "}\n"
            + "spec: {strategy: Canary}\n";
    assertRejected(yaml, "canary (with at least one step) is required when strategy is Canary");
  }

  @Test
  void kubectlExplainDescribesTheModelFields() throws Exception {
    Path kubeconfig = Files.createTempFile("kubeconfig", ".yaml");
    Files.writeString(kubeconfig, TestCluster.kubeconfig());
    Process p =
        new ProcessBuilder(
                TestCluster.binDir().resolve("kubectl").toString(),
                "--kubeconfig",
                kubeconfig.toString(),
                "explain",
                "modeldeployment.spec.model")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out)
        .contains("version\t<string> -required-")
        .contains("Changing it starts a rollout through the")
        .contains("uri\t<string>");
  }

  private static void assertRejected(String yaml, String message) {
    assertThatThrownBy(() -> client.resource(yaml).create())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
        .hasMessageContaining(message);
  }

  private static final String CONTAINERS =
      "containers:\n        - name: server\n          image: docker.io/seldonio/mlserver:1.6.1";

  static String model(String name, String version, String extraSpec) {
    return "apiVersion: modelrollout.io/v1alpha1\n"
        + "kind: ModelDeployment\n"
        + "metadata: {name: "
        + name
        + ", namespace: "
        + ns
        + "}\n"
        + "spec:\n"
        + "  model: {name: fraud"
        + (version == null ? "" : ", version: '" + version + "'")
        + "}\n"
        + (extraSpec.isBlank() ? "" : "  " + extraSpec + "\n")
        + "  template:\n"
        + "    spec:\n"
        + "      "
        + CONTAINERS
        + "\n";
  }

  static String policy(String name, String steps, String gates) {
    return "apiVersion: modelrollout.io/v1alpha1\n"
        + "kind: RolloutPolicy\n"
        + "metadata: {name: "
        + name
        + ", namespace: "
        + ns
        + "}\n"
        + "spec:\n"
        + "  strategy: Canary\n"
        + "  canary: {steps: "
        + steps
        + "}\n"
        + "  gates: "
        + gates
        + "\n";
  }
}
