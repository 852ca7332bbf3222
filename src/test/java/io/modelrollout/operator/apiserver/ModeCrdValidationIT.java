package io.modelrollout.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.modelrollout.operator.api.DeploymentMode;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The CEL rules and schema of the modes and autoscaling on a real API server. */
class ModeCrdValidationIT {
  static KubernetesClient client;
  static String ns;

  static final String BATCH =
      "batch: {schedule: '0 2 * * *', input: 's3://in', output: 's3://out'}";
  static final String EDGE = "edge: {nodeSelector: {fleet: kiosk}}";

  @BeforeAll
  static void setUp() {
    client = TestCluster.client();
    ns = TestCluster.newNamespace(client, "crd-modes");
  }

  @AfterAll
  static void tearDown() {
    client.close();
  }

  @Test
  void eachModeWithItsSettingsIsAcceptedAndOnlineIsTheDefault() {
    client.resource(model("batch", "mode: Batch\n  " + BATCH)).create();
    client.resource(model("edge", "mode: Edge\n  " + EDGE)).create();
    client
        .resource(
            model(
                "scaled",
                "autoscaling: {maxReplicas: 5, metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}}]}"))
        .create();
    client.resource(model("plain", "")).create();
    var plain = client.resources(ModelDeployment.class).inNamespace(ns).withName("plain").get();
    assertThat(plain.getSpec().mode).isEqualTo(DeploymentMode.Online);
    var batch = client.resources(ModelDeployment.class).inNamespace(ns).withName("batch").get();
    assertThat(batch.getSpec().batch.concurrencyPolicy.name()).as("defaulted").isEqualTo("Forbid");
    var edge = client.resources(ModelDeployment.class).inNamespace(ns).withName("edge").get();
    assertThat(edge.getSpec().edge.maxSurge).isZero();
    assertThat(edge.getSpec().edge.maxUnavailableNodes).isEqualTo(1);
    var scaled = client.resources(ModelDeployment.class).inNamespace(ns).withName("scaled").get();
    assertThat(scaled.getSpec().autoscaling.minReplicas).isEqualTo(1);
    assertThat(scaled.getSpec().autoscaling.metrics.get(0).getResource().getName())
        .isEqualTo("cpu");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Batch without batch     | mode: Batch                               | batch is required when mode is Batch, and only then",
        "batch settings online   | BATCH                                     | batch is required when mode is Batch, and only then",
        "Edge without edge       | mode: Edge                                | edge is required when mode is Edge, and only then",
        "autoscaling in Batch    | mode: Batch AUTOSCALED                    | autoscaling is for mode Online",
        "unknown mode            | mode: Serverless                          | Unsupported value: \"Serverless\"",
        "a time zone in schedule | mode: Batch TZ                            | batch.schedule cannot set a time zone",
        "empty fleet             | mode: Edge EMPTY_FLEET                    | edge.nodeSelector needs at least one label",
        "surge of two            | mode: Edge SURGE2                         | spec.edge.maxSurge in body should be less than or equal to 1",
        "max below min replicas  | MINMAX                                    | autoscaling.maxReplicas must be at least minReplicas",
        "bad staleness           | mode: Batch STALENESS                     | batch.maxStaleness must be a duration",
      })
  void badModesAreRejected(String title, String change, String message) {
    String c = change.trim();
    String spec =
        switch (c) {
          case "mode: Batch" -> "mode: Batch";
          case "BATCH" -> BATCH;
          case "mode: Edge" -> "mode: Edge";
          case "mode: Batch AUTOSCALED" ->
              "mode: Batch\n  " + BATCH + "\n  autoscaling: {maxReplicas: 3}";
          case "mode: Serverless" -> "mode: Serverless";
          case "mode: Batch TZ" ->
              "mode: Batch\n  batch: {schedule: 'TZ=UTC 0 2 * * *', input: a, output: b}";
          case "mode: Edge EMPTY_FLEET" -> "mode: Edge\n  edge: {nodeSelector: {}}";
          case "mode: Edge SURGE2" -> "mode: Edge\n  edge: {nodeSelector: {a: b}, maxSurge: 2}";
          case "MINMAX" -> "autoscaling: {minReplicas: 5, maxReplicas: 2}";
          case "mode: Batch STALENESS" ->
              "mode: Batch\n  batch: {schedule: '@daily', input: a, output: b, maxStaleness: 1 day}";
          default -> throw new IllegalArgumentException(c);
        };
    assertRejected(model("m" + Math.abs(title.hashCode()), spec), message.trim());
  }

  @Test
  void theModeCannotBeChanged() {
    client.resource(model("fixed", "mode: Edge\n  " + EDGE)).create();
    assertThatThrownBy(
            () ->
                client
                    .resources(ModelDeployment.class)
                    .inNamespace(ns)
                    .withName("fixed")
                    .edit(
                        md -> {
                          md.getSpec().mode = DeploymentMode.Online;
                          md.getSpec().edge = null;
                          return md;
                        }))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("mode cannot be changed");
  }

  @Test
  void aStepSetsOneOfTheNodePercentAndTheOthers() {
    String policy =
        "apiVersion: modelrollout.io/v1alpha1\nkind: RolloutPolicy\nmetadata: {name: two, namespace: "
            + ns
            + "}\nspec:\n  strategy: Canary\n  canary: {steps: [{setNodePercent: 10, setWeight: 10}]}\n";
    assertRejected(policy, "each canary step sets exactly one of");
    String ok = policy.replace("two", "one").replace(", setWeight: 10", "");
    client.resource(ok).create();
  }

  private static void assertRejected(String yaml, String message) {
    assertThatThrownBy(() -> client.resource(yaml).create())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
        .hasMessageContaining(message);
  }

  static String model(String name, String extraSpec) {
    return "apiVersion: modelrollout.io/v1alpha1\n"
        + "kind: ModelDeployment\n"
        + "metadata: {name: "
        + name
        + ", namespace: "
        + ns
        + "}\n"
        + "spec:\n"
        + "  model: {name: fraud, version: '1.0.0'}\n"
        + (extraSpec.isBlank() ? "" : "  " + extraSpec + "\n")
        + "  template:\n"
        + "    spec:\n"
        + "      containers:\n        - name: server\n          image: docker.io/x/y:1\n";
  }
}
