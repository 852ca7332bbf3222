package io.modelrollout.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
        }
      }
    }
  }

  private static Phase phase(KubernetesClient client) {
    ModelDeployment md =
        client.resources(ModelDeployment.class).inNamespace("bare").withName("fraud").get();
    return md == null || md.getStatus() == null ? null : md.getStatus().phase;
  }
}
