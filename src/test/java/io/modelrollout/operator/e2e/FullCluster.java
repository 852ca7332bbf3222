package io.modelrollout.operator.e2e;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.modelrollout.operator.install.Installation;
import io.modelrollout.operator.testing.TestCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The full local control plane of hack/k8s-local.sh (etcd, kube-apiserver with an audit log,
 * controller manager, scheduler, KWOK nodes), started once per test JVM on free ports with its own
 * run directory, with the project's CRDs, the test route CRDs, and the Helm chart installed for its
 * ServiceAccount and RBAC. The operator then runs as a process with the chart's permissions.
 */
public final class FullCluster {
  public static final String RELEASE_NAMESPACE = "model-rollout-system";
  private static FullCluster instance;

  public final Path run;
  public final Path kubeconfig;
  public final Installation chart;
  private final List<String> env;

  private FullCluster(Map<String, String> sizing) throws Exception {
    run =
        TestCluster.projectDir()
            .resolve("target/e2e/k8s-" + UUID.randomUUID().toString().substring(0, 6));
    Files.createDirectories(run);
    List<String> e =
        new ArrayList<>(
            List.of(
                "K8S_RUN=" + run,
                "APISERVER_PORT=" + freePort(),
                "ETCD_PORT=" + freePort(),
                "ETCD_PEER_PORT=" + freePort(),
                "KCM_PORT=" + freePort(),
                "SCHED_PORT=" + freePort(),
                "MRO_CACHE=" + TestCluster.binDir().getParent().getParent().getParent()));
    Map<String, String> all = new java.util.LinkedHashMap<>();
    all.put("AUDIT", "1");
    all.put("KWOK_NODES", "2");
    all.putAll(sizing);
    all.forEach((k, v) -> e.add(k + "=" + v));
    env = List.copyOf(e);
    script("up");
    kubeconfig = run.resolve("admin.kubeconfig");
    Runtime.getRuntime().addShutdownHook(new Thread(this::down));
    try (KubernetesClient admin = admin()) {
      TestCluster.installCrds(admin, TestCluster.projectDir().resolve("crds"));
      TestCluster.installCrds(admin, TestCluster.projectDir().resolve("target/test-crds"));
      TestCluster.installCrds(
          admin, TestCluster.projectDir().resolve("src/test/resources/test-crds"));
      admin
          .namespaces()
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName(RELEASE_NAMESPACE)
                  .endMetadata()
                  .build())
          .create();
    }
    chart =
        Installation.install(
            admin(),
            Files.readString(kubeconfig),
            RELEASE_NAMESPACE,
            Map.of("replicas", 2, "prometheus.address", "http://unused.invalid:9090"));
    try (KubernetesClient admin = admin()) {
      // the chart's Deployment would run the image on fake nodes: the tests run it as processes
      admin.apps().deployments().inNamespace(RELEASE_NAMESPACE).withName(chart.deployment).scale(0);
    }
  }

  public static synchronized FullCluster get() {
    if (instance == null) {
      instance = start(Map.of());
    }
    return instance;
  }

  /**
   * A cluster of its own, sized by hack/k8s-local.sh settings (KWOK_NODES, KWOK_NODE_PODS,
   * CLIENT_QPS, SERVICE_CIDR, AUDIT), stopped when the JVM exits.
   */
  public static FullCluster start(Map<String, String> sizing) {
    try {
      return new FullCluster(sizing);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the full local control plane", e);
    }
  }

  public KubernetesClient admin() {
    try {
      return new KubernetesClientBuilder()
          .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
          .build();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A fresh namespace with a readable prefix. */
  public String newNamespace(String prefix) {
    try (KubernetesClient admin = admin()) {
      return TestCluster.newNamespace(admin, prefix);
    }
  }

  /** Stops a component and starts it again with its data: kube-apiserver or etcd. */
  public void restart(String component) throws Exception {
    script("restart", component);
  }

  /** The audit log: one JSON event per write request. */
  public List<String> auditLog() throws IOException {
    Path log = run.resolve("logs/audit.log");
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }

  private void down() {
    try {
      script("down");
    } catch (Exception e) {
      // the JVM is exiting
    }
  }

  private void script(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", "hack/k8s-local.sh"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(TestCluster.projectDir().toFile());
    for (String e : env) {
      String[] kv = e.split("=", 2);
      pb.environment().put(kv[0], kv[1]);
    }
    Path log = run.resolve("k8s-local-" + args[0] + ".log");
    Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException(
          "hack/k8s-local.sh " + String.join(" ", args) + " failed:\n" + Files.readString(log));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
