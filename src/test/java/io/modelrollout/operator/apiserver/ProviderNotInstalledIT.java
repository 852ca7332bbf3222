package io.modelrollout.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.modelrollout.operator.api.Condition;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.status.Conditions;
import io.modelrollout.operator.testing.FakeDeploymentController;
import io.modelrollout.operator.testing.Fixtures;
import io.modelrollout.operator.testing.LocalApiServer;
import io.modelrollout.operator.testing.OperatorHarness;
import io.modelrollout.operator.testing.TestCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * On a cluster without Istio or Gateway API (its own API server, so other tests' route CRDs are not
 * there), naming such a provider gives InvalidSpec and the running version keeps serving.
 */
class ProviderNotInstalledIT {
  @Test
  void aProviderWhoseApiIsMissingIsAnInvalidSpec() throws Exception {
    try (LocalApiServer bare = new LocalApiServer(TestCluster.binDir())) {
      bare.start();
      Config config = Config.fromKubeconfig(bare.kubeconfig());
      try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
        TestCluster.installCrds(client, TestCluster.projectDir().resolve("crds"));
        client
            .resource(
                new NamespaceBuilder().withNewMetadata().withName("bare").endMetadata().build())
            .create();
        try (FakeDeploymentController pods = new FakeDeploymentController(client, "bare");
            OperatorHarness operator = OperatorHarness.start(config, "bare")) {
          client.resource(Fixtures.model("bare", "fraud", "1.0.0", 2)).create();
          await().atMost(Duration.ofSeconds(30)).until(() -> phase(client) == Phase.Healthy);
          List<Deployment> before =
              client.apps().deployments().inNamespace("bare").list().getItems();

          Fixtures.patch(
              client,
              "bare",
              "fraud",
              "{\"spec\":{\"model\":{\"version\":\"2.0.0\"},\"traffic\":{\"provider\":\"Istio\"}}}");
          ModelDeployment md =
              await()
                  .atMost(Duration.ofSeconds(30))
                  .until(
                      () ->
                          client
                              .resources(ModelDeployment.class)
                              .inNamespace("bare")
                              .withName("fraud")
                              .get(),
                      m -> Conditions.isTrue(m.getStatus().conditions, Condition.INVALID_SPEC));
          assertThat(Conditions.find(md.getStatus().conditions, Condition.INVALID_SPEC).message)
              .isEqualTo(
                  "traffic.provider is Istio but the cluster does not serve networking.istio.io/v1 VirtualService; install Istio");
          assertThat(md.getStatus().stable.version).isEqualTo("1.0.0");
          List<Deployment> after =
              client.apps().deployments().inNamespace("bare").list().getItems();
          assertThat(after)
              .extracting(
                  d -> d.getMetadata().getName() + "@" + d.getMetadata().getResourceVersion())
              .containsExactlyElementsOf(
                  before.stream()
                      .map(
                          d ->
                              d.getMetadata().getName()
                                  + "@"
                                  + d.getMetadata().getResourceVersion())
                      .toList());

          // Istio is installed: the ModelDeployment recovers, and the operator watches its route
          TestCluster.installCrds(
              client, TestCluster.projectDir().resolve("src/test/resources/test-crds"));
          await()
              .atMost(Duration.ofSeconds(60))
              .until(
                  () ->
                      phase(client) == Phase.Healthy
                          && "2.0.0".equals(stableVersion(client))
                          && virtualService(client) != null);
          String originalRoute = primaryRoute(client).toString();
          long edited = System.nanoTime();
          editPrimaryRoute(client, 70);
          // the issue asks for a second; 3 s leaves room for a busy 2-core machine
          await("a foreign edit of the route is undone without waiting for a resync")
              .atMost(Duration.ofSeconds(3))
              .pollInterval(Duration.ofMillis(50))
              .until(() -> primaryRoute(client).toString().equals(originalRoute));
          System.out.printf(
              "[ProviderNotInstalledIT] a foreign VirtualService edit undone after %d ms%n",
              (System.nanoTime() - edited) / 1_000_000);
        }
      }
    }
  }

  private static String stableVersion(KubernetesClient client) {
    ModelDeployment md =
        client.resources(ModelDeployment.class).inNamespace("bare").withName("fraud").get();
    return md.getStatus().stable.version;
  }

  private static GenericKubernetesResource virtualService(KubernetesClient client) {
    return client
        .genericKubernetesResources("networking.istio.io/v1", "VirtualService")
        .inNamespace("bare")
        .withName("fraud")
        .get();
  }

  private static Object primaryRoute(KubernetesClient client) {
    return primaryRoute(virtualService(client));
  }

  @SuppressWarnings("unchecked")
  private static Object primaryRoute(GenericKubernetesResource vs) {
    Map<String, Object> spec = (Map<String, Object>) vs.getAdditionalProperties().get("spec");
    List<Map<String, Object>> http = (List<Map<String, Object>>) spec.get("http");
    return http.get(http.size() - 1).get("route");
  }

  @SuppressWarnings("unchecked")
  private static void editPrimaryRoute(KubernetesClient client, int canaryWeight) {
    GenericKubernetesResource edited =
        client
            .genericKubernetesResources("networking.istio.io/v1", "VirtualService")
            .inNamespace("bare")
            .withName("fraud")
            .edit(
                vs -> {
                  Map<String, Object> spec =
                      (Map<String, Object>) vs.getAdditionalProperties().get("spec");
                  List<Map<String, Object>> http = (List<Map<String, Object>>) spec.get("http");
                  http.get(http.size() - 1)
                      .put(
                          "route",
                          List.of(
                              Map.of(
                                  "destination",
                                  Map.of("host", "fraud-stable", "port", Map.of("number", 80)),
                                  "weight",
                                  100 - canaryWeight),
                              Map.of(
                                  "destination",
                                  Map.of("host", "fraud-canary", "port", Map.of("number", 80)),
                                  "weight",
                                  canaryWeight)));
                  return vs;
                });
    // what the API server stored (the operator may undo it before a read that followed)
    assertThat(primaryRoute(edited).toString()).contains("weight=" + canaryWeight);
  }

  private static Phase phase(KubernetesClient client) {
    ModelDeployment md =
        client.resources(ModelDeployment.class).inNamespace("bare").withName("fraud").get();
    return md == null || md.getStatus() == null ? null : md.getStatus().phase;
  }
}
