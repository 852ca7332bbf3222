package io.modelrollout.operator.bench;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelrollout.operator.analysis.Measurement;
import io.modelrollout.operator.analysis.QueryTarget;
import io.modelrollout.operator.analysis.prometheus.PrometheusProvider;
import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.GateSpec;
import io.modelrollout.operator.api.HistoryEntry;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.RolloutPolicy;
import io.modelrollout.operator.api.TrafficProvider;
import io.modelrollout.operator.api.TrafficSpec;
import io.modelrollout.operator.e2e.FullCluster;
import io.modelrollout.operator.e2e.Operators;
import io.modelrollout.operator.install.OperatorProcess;
import io.modelrollout.operator.testing.Fixtures;
import io.modelrollout.operator.testing.TestCluster;
import io.modelrollout.operator.testing.TestExporter;
import io.modelrollout.operator.testing.TestPrometheus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The operator at scale (make bench; not part of the tests): the full local control plane sized for
 * it, a real Prometheus and the test exporter, the packaged operator as a process with the image's
 * JVM flags and the chart's RBAC. Prints each figure as it is measured and writes the tables to
 * docs/benchmarks/DATE.md.
 *
 * <p>Arguments: {@code --sizes 100,200,500,2000 --reaction 20 --gates 500 --out docs/benchmarks
 * --threads 20 --admission 200 --warmup 20 --idle 1 --argo 0 --jvm "extra operator JVM flags"};
 * {@code --idle 0} skips the idle and restart measurements (the smoke in .ci/run); {@code --argo
 * 200} first measures Argo Rollouts on the same control plane (ArgoSideBySide).
 */
public final class Bench {
  /** The image's JVM flags, with the chart's default memory limit (512 MiB) as the JVM's RAM. */
  static final List<String> IMAGE_JVM =
      java.util.stream.Stream.concat(
              java.util.stream.Stream.of("-XX:MaxRAM=512m"),
              io.modelrollout.operator.install.ImageEntrypoint.jvmFlags().stream())
          .toList();

  static final String OPERATOR_USER =
      "system:serviceaccount:" + FullCluster.RELEASE_NAMESPACE + ":" + Operators.FULLNAME;

  final List<Integer> sizes;
  final int reactionRounds;
  final int gateLoad;
  final Path out;
  final List<String> jvm = new ArrayList<>(IMAGE_JVM);
  int reconcileThreads = 20;
  int admission = 200;
  int warmup = 20;

  /** N of the Argo Rollouts side-by-side (--argo N; 0: none). */
  int argo;

  /** Argo's {create, version change} s with raised limits: without Services, with one each. */
  double[][] argoRaised;

  /** Whether the largest size also measures the idle cost and a restart (--idle 0: a smoke). */
  boolean idleAndRestart = true;

  final StringBuilder report = new StringBuilder();
  final List<String> verdicts = new ArrayList<>();
  FullCluster cluster;
  KubernetesClient admin;
  TestExporter exporter;
  TestPrometheus prometheus;
  OperatorProcess operator;
  Audit audit;

  Bench(List<Integer> sizes, int reactionRounds, int gateLoad, Path out) {
    this.sizes = sizes;
    this.reactionRounds = reactionRounds;
    this.gateLoad = gateLoad;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    List<Integer> sizes =
        Arrays.stream(a.getOrDefault("sizes", "100,200,500,2000").split(","))
            .map(String::trim)
            .map(Integer::parseInt)
            .filter(n -> n > 0) // --sizes 0: no burst, e.g. for the gate load alone
            .toList();
    Bench b =
        new Bench(
            sizes,
            Integer.parseInt(a.getOrDefault("reaction", "20")),
            Integer.parseInt(a.getOrDefault("gates", "500")),
            TestCluster.projectDir().resolve(a.getOrDefault("out", "docs/benchmarks")));
    // extra operator JVM flags, e.g. --jvm "-XX:NativeMemoryTracking=summary" for a breakdown
    b.reconcileThreads = Integer.parseInt(a.getOrDefault("threads", "20"));
    b.admission = Integer.parseInt(a.getOrDefault("admission", "200"));
    b.warmup = Integer.parseInt(a.getOrDefault("warmup", "20"));
    b.argo = Integer.parseInt(a.getOrDefault("argo", "0"));
    b.idleAndRestart = !"0".equals(a.getOrDefault("idle", "1"));
    if (a.containsKey("jvm")) {
      b.jvm.addAll(Arrays.asList(a.get("jvm").trim().split("\\s+")));
    }
    // a SIGTERM (timeout, Ctrl-C) also stops the operator and Prometheus processes
    Thread stop = new Thread(b::close);
    Runtime.getRuntime().addShutdownHook(stop);
    int exit = 0;
    try {
      b.run(String.join(" ", args));
    } catch (Throwable t) {
      t.printStackTrace();
      exit = 1;
      try {
        b.writeReport(t); // what was measured before the failure is kept
      } catch (IOException e) {
        e.printStackTrace();
      }
    } finally {
      b.close();
      Runtime.getRuntime().removeShutdownHook(stop);
    }
    System.exit(exit); // ends informer threads; the cluster stops in its shutdown hook
  }

  void run(String argLine) throws Exception {
    long maxPods =
        2L * sizes.stream().mapToInt(Integer::intValue).max().orElse(100) + 2L * gateLoad;
    int nodes = (int) Math.max(2, (maxPods + 999) / 1000);
    say(
        "starting the control plane: %d KWOK nodes of 1000 pods, client QPS 500, 25 controller"
            + " workers, audit log",
        nodes);
    cluster =
        FullCluster.start(
            Map.of(
                "AUDIT", "4", // the operator's requests and pod status writes only
                "AUDIT_USERS", OPERATOR_USER,
                "AUDIT_LOG_MAXSIZE", "20000",
                "KWOK_NODES", String.valueOf(nodes),
                "KWOK_NODE_PODS", "1000",
                "CLIENT_QPS", "500",
                // the Deployment controller's 5 default workers otherwise bound a version change:
                // 200 new Deployments waited 2.3 s (p50) for their ReplicaSet
                "CONTROLLER_SYNCS", "25",
                "SERVICE_CIDR", "10.0.0.0/16"));
    admin = cluster.admin();
    exporter = new TestExporter();
    prometheus = TestPrometheus.start(exporter.target());
    audit = new Audit(cluster.run.resolve("logs/audit.log"), OPERATOR_USER);
    header(argLine, nodes);
    if (admission > 0) {
      new Admission(this).run(admission); // before the operator: nothing else writes
    }
    if (argo > 0) {
      argoRaised = new ArgoSideBySide(this).run(argo); // before the operator: one at a time
    }
    operator = startOperator("bench");
    if (warmup > 0) {
      double took = new Warmup(this).run(warmup);
      section("Operator warm-up");
      report.append(
          String.format(
              "The operator ran a warm-up first (`--warmup %d`): %d ModelDeployments created,"
                  + " rolled out and deleted in %.1f s, so that the bursts measure its work, not"
                  + " its start (class loading, first compilations). `--warmup 0` measures a"
                  + " freshly started operator.%n",
              warmup, warmup, took));
    }
    Burst burst = new Burst(this);
    Map<Integer, double[]> memory = new LinkedHashMap<>();
    for (int n : sizes) {
      memory.put(n, burst.run(n, n == sizes.get(sizes.size() - 1)));
    }
    if (!memory.isEmpty()) {
      memorySlope(memory);
    }
    if (reactionRounds > 0) {
      new Reaction(this).run(reactionRounds);
    }
    if (gateLoad > 0) {
      new GateLoad(this).run(gateLoad);
    }
    writeReport(null);
  }

  /** Writes the report: what was measured, and why it ended early when {@code failure} is set. */
  void writeReport(Throwable failure) throws IOException {
    if (failure != null) {
      section("Ended early");
      report.append("The benchmark failed here: `").append(failure).append("`\n");
    }
    section("Targets");
    verdicts.forEach(v -> report.append("- ").append(v).append('\n'));
    Files.createDirectories(out);
    Path file = out.resolve(LocalDate.now() + ".md");
    Files.writeString(file, report.toString());
    say("wrote %s", file);
  }

  OperatorProcess startOperator(String name) throws Exception {
    return startOperator(name, "60s");
  }

  /** The operator with a resync of every object each {@code resync} (its default is 5m). */
  OperatorProcess startOperator(String name, String resync) throws Exception {
    return Operators.start(
        cluster,
        null,
        name,
        Map.of(
            "MALLOC_ARENA_MAX", "2",
            "MRO_LEADER_ELECTION", "false",
            "MRO_PROMETHEUS_ADDRESS", prometheus.address(),
            "MRO_PROMETHEUS_TIMEOUT", "2s",
            "MRO_RESYNC_INTERVAL", resync,
            "MRO_RECONCILE_THREADS", String.valueOf(reconcileThreads),
            "QUARKUS_LOG_CATEGORY__IO_MODELROLLOUT__LEVEL", "WARN"),
        jvm);
  }

  private void header(String argLine, int nodes) throws Exception {
    report.append("# Benchmark, ").append(LocalDate.now()).append("\n\n");
    report.append(
        String.format(
            "Speed of this machine's cores when the run began (they vary from day to day on shared"
                + " hosts): SHA-256 of 512 MiB took %.2f s on one core.%n%n",
            probe()));
    report
        .append("Command: `make bench")
        .append(argLine.isBlank() ? "" : " ARGS=\"" + argLine + "\"")
        .append("` (see hack/bench.sh)\n\n");
    long memKb =
        Files.readAllLines(Path.of("/proc/meminfo")).stream()
            .filter(l -> l.startsWith("MemTotal:"))
            .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
            .findFirst()
            .orElse(0L);
    report
        .append("Machine: ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores, ")
        .append(memKb / 1024 / 1024)
        .append(" GiB; Java ")
        .append(System.getProperty("java.version"))
        .append("; Kubernetes ")
        .append(TestCluster.K8S_VERSION)
        .append(" (kube-apiserver, etcd, controller manager, scheduler on loopback, ")
        .append(nodes)
        .append(" KWOK nodes of 1000 pods, controller manager and scheduler client QPS 500,")
        .append(
            " 25 Deployment and 25 ReplicaSet controller workers, Service range /16, audit log of"
                + " the operator's requests and of the status writes of pods, ReplicaSets and"
                + " Deployments); Prometheus ")
        .append("scraping every second; the operator ")
        .append(
            "(target/quarkus-app, one replica, "
                + reconcileThreads
                + " reconcile threads, 8 Prometheus queries at once,")
        .append(" resync 60 s) with the image's JVM flags `")
        .append(String.join(" ", jvm))
        .append("` and the chart's RBAC. The control plane, Prometheus, the exporter and the")
        .append(" operator share the machine's cores.\n");
  }

  private void memorySlope(Map<Integer, double[]> memory) {
    section("Memory per ModelDeployment");
    List<Integer> ns = new ArrayList<>(memory.keySet());
    report.append("| N | heap after full GC | RSS |\n|---|---|---|\n");
    memory.forEach(
        (n, m) -> report.append(String.format("| %d | %.1f MiB | %.0f MiB |%n", n, m[0], m[1])));
    if (ns.size() >= 2) {
      int a = ns.get(0);
      int b = ns.get(ns.size() - 1);
      double heapSlope = (memory.get(b)[0] - memory.get(a)[0]) * 1024 / (b - a);
      double rssSlope = (memory.get(b)[1] - memory.get(a)[1]) * 1024 / (b - a);
      report.append(
          String.format(
              "%nSlope from N = %d to %d: %.1f KiB of heap and %.1f KiB of RSS per"
                  + " ModelDeployment.%n",
              a, b, heapSlope, rssSlope));
      verdict(heapSlope <= 100, "heap per ModelDeployment <= 100 KiB: %.1f KiB", heapSlope);
    }
  }

  // ---- helpers shared by the parts

  /** Seconds one core takes to hash 512 MiB: a yardstick for runs on different days. */
  static double probe() throws Exception {
    java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
    byte[] block = new byte[1 << 20];
    sha.update(block); // warm
    long t0 = System.nanoTime();
    for (int i = 0; i < 512; i++) {
      sha.update(block);
    }
    sha.digest();
    return (System.nanoTime() - t0) / 1e9;
  }

  void section(String title) {
    report.append("\n## ").append(title).append("\n\n");
  }

  void verdict(boolean pass, String format, Object... args) {
    String v = (pass ? "PASS " : "MISS ") + String.format(format, args);
    verdicts.add(v);
    say("%s", v);
  }

  static void say(String format, Object... args) {
    System.out.printf(
        "[bench %s] %s%n", Instant.now().toString().substring(11, 19), String.format(format, args));
  }

  String namespace(String prefix) {
    return cluster.newNamespace(prefix);
  }

  RolloutPolicy policy(String ns, String name, CanaryStep... steps) {
    RolloutPolicy p = Fixtures.canaryPolicy(ns, name, 1, steps);
    p.getSpec().canary.scaleDownDelay = "2s";
    p.getSpec().progressDeadline = "10m";
    return p;
  }

  static GateSpec errorsGate(int count) {
    GateSpec g =
        Fixtures.gate("errors", "model_errors{model=\"{{model}}\",version=\"{{version}}\"}", 0.01);
    g.count = count;
    g.interval = "1s";
    g.initialDelay = "0s";
    return g;
  }

  static ModelDeployment model(String ns, String name, String policy, TrafficProvider provider) {
    ModelDeployment md = Fixtures.withPolicy(Fixtures.model(ns, name, "1.0.0", 1), policy);
    if (provider == TrafficProvider.GatewayAPI) {
      md.getSpec().traffic = new TrafficSpec();
      md.getSpec().traffic.provider = provider;
      md.getSpec().traffic.gatewayAPI = new TrafficSpec.GatewayApi();
      TrafficSpec.ParentRef p = new TrafficSpec.ParentRef();
      p.name = "gateway";
      md.getSpec().traffic.gatewayAPI.parentRefs = List.of(p);
    }
    return md;
  }

  /** Runs {@code n} tasks on 16 threads and waits for them. */
  static void parallel(int n, java.util.function.IntConsumer task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> f = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int k = i;
        f.add(pool.submit(() -> task.accept(k)));
      }
      for (Future<?> x : f) {
        x.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  List<ModelDeployment> list(String ns) {
    return admin.resources(ModelDeployment.class).inNamespace(ns).list().getItems();
  }

  /**
   * Waits until {@code count} ModelDeployments of {@code ns} satisfy {@code p}; returns seconds.
   * Reads a watch's cache, not LISTs: polling 2000 whole objects a few times a second would load
   * the API server the benchmark measures.
   */
  double await(String ns, int count, Duration atMost, Predicate<ModelDeployment> p)
      throws InterruptedException {
    long t0 = System.nanoTime();
    long deadline = t0 + atMost.toNanos();
    try (var informer = admin.resources(ModelDeployment.class).inNamespace(ns).inform()) {
      while (System.nanoTime() < deadline) {
        long ok =
            informer.getStore().list().stream()
                .filter(m -> m.getStatus() != null && p.test(m))
                .count();
        if (ok >= count) {
          return (System.nanoTime() - t0) / 1e9;
        }
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException(
        "not all " + count + " ModelDeployments of " + ns + " in " + atMost);
  }

  static boolean healthyAt(ModelDeployment m, String version) {
    return m.getStatus().phase == Phase.Healthy
        && m.getStatus().canary == null
        && version.equals(m.getStatus().stable.version);
  }

  static double seconds(HistoryEntry h) {
    return Duration.between(Instant.parse(h.startedAt), Instant.parse(h.at)).toMillis() / 1000.0;
  }

  static double percentile(List<Double> values, double p) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> s = values.stream().sorted().toList();
    int i = (int) Math.ceil(p / 100.0 * s.size()) - 1;
    return s.get(Math.max(0, Math.min(i, s.size() - 1)));
  }

  /** Sets a series on the exporter and waits until Prometheus answers it. */
  void publish(String series, double value) throws InterruptedException {
    exporter.set(series, value);
    PrometheusProvider p = new PrometheusProvider();
    for (int i = 0; i < 80; i++) {
      if (p.query(QueryTarget.plain(prometheus.address(), Duration.ofSeconds(2)), series)
              instanceof Measurement.Value v
          && v.value() == value) {
        return;
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("Prometheus never saw " + series + " = " + value);
  }

  /** A Prometheus or operator metrics page. */
  static String get(String url) throws Exception {
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) { // a busy server may drop one connection
      try {
        return HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
      } catch (IOException e) {
        last = e;
        Thread.sleep(1000);
      }
    }
    throw last;
  }

  static HTTPRoute route(KubernetesClient c, String ns, String name) {
    return c.resources(HTTPRoute.class).inNamespace(ns).withName(name).get();
  }

  static String table(Map<String, Integer> counts, int perN, String unit) {
    return counts.entrySet().stream()
        .filter(e -> e.getKey().matches("(create|update|patch|delete) .*"))
        .filter(e -> !e.getKey().endsWith(" events"))
        .map(e -> String.format("%s %.2f", e.getKey(), e.getValue() / (double) perN))
        .collect(Collectors.joining(", ", "", " " + unit));
  }

  private synchronized void close() {
    try {
      if (operator != null) operator.close();
      operator = null;
      if (prometheus != null) prometheus.close();
      prometheus = null;
      if (exporter != null) exporter.close();
      exporter = null;
      if (admin != null) admin.close();
      admin = null;
    } catch (Exception e) {
      say("closing: %s", e);
    }
  }
}
