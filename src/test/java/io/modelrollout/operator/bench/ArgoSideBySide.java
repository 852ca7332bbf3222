package io.modelrollout.operator.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.modelrollout.operator.api.TrafficProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Argo Rollouts on the same control plane, before the operator starts (one controller at a time): N
 * Rollouts of the benchmark's pod template and a two-step canary ({@code setWeight 50}, {@code
 * pause 5s}), created at once, then a new pod template for all; with Argo's default client limits
 * (40 requests/s), with them raised, and raised with a Service per Rollout (a ModelDeployment has
 * its entry Service). The yardstick of the N = 200 targets, measured the same day on the same
 * cores. {@code --argo N}; the controller and its CRDs come from hack/argo-rollouts.sh (built from
 * Argo's Go module into the cache, never into the repository).
 */
final class ArgoSideBySide {
  static final String VERSION = "v1.10.2";

  static final ResourceDefinitionContext ROLLOUTS =
      new ResourceDefinitionContext.Builder()
          .withGroup("argoproj.io")
          .withVersion("v1alpha1")
          .withKind("Rollout")
          .withPlural("rollouts")
          .withNamespaced(true)
          .build();

  private final Bench b;
  private final Path home;

  ArgoSideBySide(Bench b) {
    this.b = b;
    String cache = System.getenv("MRO_CACHE");
    this.home =
        (cache == null
                ? Path.of(System.getProperty("user.home"), ".cache", "model-rollout-operator")
                : Path.of(cache))
            .resolve("argo")
            .resolve(VERSION);
  }

  /**
   * {create s, version change s} with raised client limits: without Services, then with a Service
   * per Rollout.
   */
  double[][] run(int n) throws Exception {
    Path controller = home.resolve("rollouts-controller");
    if (!Files.isExecutable(controller)) {
      throw new IllegalStateException(
          controller + " is missing: run `bash hack/argo-rollouts.sh` first (make bench does)");
    }
    installCrds();
    b.section("Argo Rollouts " + VERSION + " on the same control plane, N = " + n);
    b.report.append(
        "Before the operator started, so one controller ran at a time: "
            + n
            + " Rollouts of the same pod template as the ModelDeployments, replicas 1, a two-step"
            + " canary (`setWeight 50`, `pause 5s`) without traffic routing, created at once,"
            + " then a new pod template for all. Argo creates no Service; a ModelDeployment with"
            + " ReplicaRatio creates one, the entry Service its clients call. So the last run"
            + " also creates a ClusterIP Service per Rollout in the same burst, as its users"
            + " would. Healthy: `status.phase` Healthy with the spec observed and the stable"
            + " ReplicaSet the current one. The controller ran with `--loglevel warn` (the"
            + " operator logs at WARN too) and the cluster-admin kubeconfig.\n\n");
    b.report.append(
        "| client limits | create → all Healthy | version change → all Healthy | CPU by process"
            + " (create; version change) | controller RSS after create / after version change /"
            + " peak |\n|---|---|---|---|---|\n");
    once(controller, n, false, false);
    double[] raised = once(controller, n, true, false);
    return new double[][] {raised, once(controller, n, true, true)};
  }

  private double[] once(Path controller, int n, boolean raised, boolean services) throws Exception {
    boolean defaults = !raised;
    String label =
        (defaults ? "defaults (40/s, burst 80)" : "raised (500/s, burst 1000)")
            + (services ? ", and a Service per Rollout" : "");
    List<String> cmd = new ArrayList<>();
    cmd.add(controller.toString());
    cmd.addAll(
        List.of(
            "--kubeconfig",
            b.cluster.kubeconfig.toString(),
            "--leader-elect=false",
            "--loglevel",
            "warn",
            "--metricsPort",
            String.valueOf(freePort()),
            "--healthzPort",
            String.valueOf(freePort())));
    if (!defaults) {
      cmd.addAll(List.of("--qps", "500", "--burst", "1000"));
    }
    Path log =
        b.cluster.run.resolve(
            "logs/argo-rollouts-" + (defaults ? "defaults" : "raised") + (services ? "-svc" : ""));
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      Thread.sleep(3000); // its informers sync on an empty namespace
      if (!p.isAlive()) {
        throw new IllegalStateException("Argo Rollouts exited: " + Files.readString(log));
      }
      String ns = b.namespace("argo-" + n);
      CpuSplit split = new CpuSplit(b);
      Map<String, Double> c0 = split.now();
      long t0 = System.nanoTime();
      Bench.parallel(
          n,
          i -> {
            b.admin.genericKubernetesResources(ROLLOUTS).resource(rollout(ns, i)).create();
            if (services) {
              b.admin.resource(service(ns, i)).create();
            }
          });
      await(ns, n, ArgoSideBySide::healthy);
      double create = (System.nanoTime() - t0) / 1e9;
      String createCpu = CpuSplit.between(c0, split.now(), create);
      Map<String, Object> first = new java.util.HashMap<>();
      b.admin
          .genericKubernetesResources(ROLLOUTS)
          .inNamespace(ns)
          .list()
          .getItems()
          .forEach(r -> first.put(r.getMetadata().getName(), podHash(r)));
      long rssCreate = ProcessStats.rssMiB(p.pid());
      Bench.say(
          "Argo Rollouts, client limits %s: all Healthy %.1f s after the first create",
          label, create);
      Map<String, Double> c1 = split.now();
      long t1 = System.nanoTime();
      Bench.parallel(
          n,
          i ->
              b.admin
                  .genericKubernetesResources(ROLLOUTS)
                  .inNamespace(ns)
                  .withName("r-" + i)
                  .patch(
                      io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                          io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                      "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":"
                          + "{\"bench/version\":\"2.0.0\"}}}}}"));
      await(ns, n, r -> healthy(r) && !podHash(r).equals(first.get(r.getMetadata().getName())));
      double change = (System.nanoTime() - t1) / 1e9;
      String cpu = CpuSplit.between(c1, split.now(), change);
      long rssChange = ProcessStats.rssMiB(p.pid());
      long peak = ProcessStats.peakRssMiB(p.pid());
      Bench.say(
          "Argo Rollouts, client limits %s: all Healthy %.1f s after the first patch; RSS %d /"
              + " %d MiB, peak %d MiB",
          label, change, rssCreate, rssChange, peak);
      b.report.append(
          String.format(
              "| %s | %.1f s | %.1f s | %s; %s | %d / %d / %d MiB |%n",
              label, create, change, createCpu, cpu, rssCreate, rssChange, peak));
      p.destroy();
      p.waitFor();
      clear(ns);
      return new double[] {create, change};
    } finally {
      p.destroyForcibly();
    }
  }

  /** Deletes the namespace and waits until its pods are gone, so the next run starts idle. */
  private void clear(String ns) throws InterruptedException {
    b.admin.namespaces().withName(ns).delete();
    long gone = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (b.admin.namespaces().withName(ns).get() != null && System.nanoTime() < gone) {
      Thread.sleep(500);
    }
  }

  private void installCrds() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(home.resolve("crds"))) {
      files = s.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    for (Path f : files) {
      try (InputStream in = Files.newInputStream(f)) {
        CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
        b.admin.resource(crd).fieldManager("bench").forceConflicts().serverSideApply();
        b.admin
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .withName(crd.getMetadata().getName())
            .waitUntilCondition(
                c ->
                    c.getStatus() != null
                        && c.getStatus().getConditions() != null
                        && c.getStatus().getConditions().stream()
                            .anyMatch(
                                x ->
                                    "Established".equals(x.getType())
                                        && "True".equals(x.getStatus())),
                1,
                java.util.concurrent.TimeUnit.MINUTES);
      }
    }
  }

  /** The Service a user of Argo creates for a Rollout: its clients' address. */
  static io.fabric8.kubernetes.api.model.Service service(String ns, int i) {
    return new io.fabric8.kubernetes.api.model.ServiceBuilder()
        .withNewMetadata()
        .withName("r-" + i)
        .withNamespace(ns)
        .endMetadata()
        .withNewSpec()
        .withSelector(Map.of("app.kubernetes.io/name", "r-" + i))
        .addNewPort()
        .withName("http")
        .withPort(80)
        .withNewTargetPort(8080)
        .endPort()
        .endSpec()
        .build();
  }

  static GenericKubernetesResource rollout(String ns, int i) {
    PodTemplateSpec template =
        Serialization.clone(
            Bench.model(ns, "r-" + i, "none", TrafficProvider.ReplicaRatio).getSpec().template);
    Map<String, String> labels = Map.of("app.kubernetes.io/name", "r-" + i);
    template.getMetadata().getLabels().putAll(labels);
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion("argoproj.io/v1alpha1");
    r.setKind("Rollout");
    r.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName("r-" + i)
            .withNamespace(ns)
            .build());
    r.setAdditionalProperty(
        "spec",
        Map.of(
            "replicas", 1,
            "selector", Map.of("matchLabels", labels),
            "template", Serialization.jsonMapper().convertValue(template, Map.class),
            "strategy",
                Map.of(
                    "canary",
                    Map.of(
                        "steps",
                        List.of(
                            Map.of("setWeight", 50), Map.of("pause", Map.of("duration", "5s")))))));
    return r;
  }

  /**
   * Healthy: the spec observed (Argo writes a default into the spec at the first reconcile, so the
   * generation is 2 by then), stable is current, phase Healthy.
   */
  static boolean healthy(GenericKubernetesResource r) {
    Object s = r.getAdditionalProperties().get("status");
    if (!(s instanceof Map<?, ?> status) || r.getMetadata().getGeneration() == null) {
      return false;
    }
    return String.valueOf(r.getMetadata().getGeneration()).equals(status.get("observedGeneration"))
        && "Healthy".equals(status.get("phase"))
        && status.get("stableRS") != null
        && status.get("stableRS").equals(status.get("currentPodHash"));
  }

  static String podHash(GenericKubernetesResource r) {
    return r.get("status") instanceof Map<?, ?> st ? String.valueOf(st.get("currentPodHash")) : "";
  }

  private void await(String ns, int count, Predicate<GenericKubernetesResource> p)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    try (var informer = b.admin.genericKubernetesResources(ROLLOUTS).inNamespace(ns).inform()) {
      while (System.nanoTime() < deadline) {
        if (informer.getStore().list().stream().filter(p).count() >= count) {
          return;
        }
        Thread.sleep(100);
      }
      throw new IllegalStateException(
          "not all "
              + count
              + " Rollouts of "
              + ns
              + " Healthy; one that is not: "
              + informer.getStore().list().stream()
                  .filter(p.negate())
                  .findFirst()
                  .map(r -> r.getMetadata().getGeneration() + " " + r.get("status"))
                  .orElse("none"));
    }
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
