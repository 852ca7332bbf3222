package io.modelrollout.operator.app;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelrollout.operator.testing.TestCluster;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Points the Quarkus application's Kubernetes client at the test API server. */
public class ApiServerResource implements QuarkusTestResourceLifecycleManager {
  public static final String NAMESPACE = "app-under-test";

  @Override
  public Map<String, String> start() {
    try {
      Path kubeconfig = Files.createTempFile("kubeconfig", ".yaml");
      Files.writeString(kubeconfig, TestCluster.kubeconfig());
      System.setProperty("kubeconfig", kubeconfig.toString());
      try (KubernetesClient client = TestCluster.client()) {
        client
            .resource(
                new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
            .serverSideApply();
      }
      // the application watches its own namespace only, so it leaves other tests' objects alone
      return Map.of(
          "modelrollout.prometheus.address",
          "http://127.0.0.1:1",
          "modelrollout.watch-namespaces",
          NAMESPACE);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void stop() {
    System.clearProperty("kubeconfig");
  }
}
