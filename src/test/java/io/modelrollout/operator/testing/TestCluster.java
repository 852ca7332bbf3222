package io.modelrollout.operator.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One real kube-apiserver with etcd per test JVM, from the binaries hack/k8s-local.sh builds, with
 * the project's CRDs installed.
 */
public final class TestCluster {
  public static final String K8S_VERSION = "1.36.3";
  private static LocalApiServer server;
  private static String kubeconfig;

  private TestCluster() {}

  public static synchronized Config config() {
    if (server == null) {
      start();
    }
    return Config.fromKubeconfig(kubeconfig);
  }

  public static KubernetesClient client() {
    return new KubernetesClientBuilder().withConfig(config()).build();
  }

  /** The kubeconfig YAML of the test API server, for kubectl. */
  public static synchronized String kubeconfig() {
    config();
    return kubeconfig;
  }

  /** A fresh namespace with a readable prefix. */
  public static String newNamespace(KubernetesClient client, String prefix) {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    return name;
  }

  public static Path projectDir() {
    return Path.of(System.getProperty("mro.projectDir", System.getProperty("user.dir")));
  }

  public static Path binDir() {
    String cache = System.getenv("MRO_CACHE"); // as hack/k8s-local.sh reads it
    if (cache == null || cache.isBlank()) {
      cache =
          System.getProperty(
              "mro.cache", System.getProperty("user.home") + "/.cache/model-rollout-operator");
    }
    return Path.of(cache, "k8s", "v" + K8S_VERSION, "bin");
  }

  private static void start() {
    Path bin = binDir();
    for (String b : List.of("kube-apiserver", "etcd", "kubectl")) {
      if (!Files.isExecutable(bin.resolve(b))) {
        throw new IllegalStateException(
            "missing "
                + bin.resolve(b)
                + ": build the control plane first with hack/k8s-local.sh build");
      }
    }
    try {
      server = new LocalApiServer(bin);
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the test API server", e);
    }
    kubeconfig = server.kubeconfig();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    try (KubernetesClient client =
        new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build()) {
      installCrds(client, projectDir().resolve("crds"));
    }
  }

  private static boolean routeCrds;

  /**
   * Installs test CRDs for Gateway API HTTPRoute (generated from the Fabric8 model by the build)
   * and Istio VirtualService (written for these tests), once per JVM.
   */
  public static synchronized void installRouteCrds() {
    config();
    if (!routeCrds) {
      try (KubernetesClient client = client()) {
        installCrds(client, projectDir().resolve("target/test-crds"));
        installCrds(client, projectDir().resolve("src/test/resources/test-crds"));
      }
      routeCrds = true;
    }
  }

  /** Applies every CRD file in {@code dir} and waits until each is established. */
  public static void installCrds(KubernetesClient client, Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f :
          files
              .filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml"))
              .sorted()
              .toList()) {
        try (InputStream in = Files.newInputStream(f)) {
          for (HasMetadata o : client.load(in).items()) {
            client.resource(o).forceConflicts().serverSideApply();
            client
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName(o.getMetadata().getName())
                .waitUntilCondition(TestCluster::established, 60, TimeUnit.SECONDS);
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read CRDs from " + dir, e);
    }
  }

  private static boolean established(CustomResourceDefinition crd) {
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
