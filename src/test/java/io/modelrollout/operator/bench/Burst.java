package io.modelrollout.operator.bench;

import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.HistoryEntry;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.TrafficProvider;
import io.modelrollout.operator.testing.Fixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * N ModelDeployments (one pod each, a two-step canary: setWeight 50, pause 5s) created at once,
 * then a new version for all: how long until all are Healthy, each rollout's duration against the
 * policy's minimum, the writes per ModelDeployment, memory; at the largest N also the idle cost,
 * writes on resync, and a restart.
 */
final class Burst {
  /** The policy's own minimum: the 5 s pause (steps otherwise end as soon as pods are ready). */
  static final double POLICY_MINIMUM = 5;

  private final Bench b;

  Burst(Bench b) {
    this.b = b;
  }

  /** Returns {heap after GC MiB, RSS MiB} with n ModelDeployments loaded. */
  double[] run(int n, boolean last) throws Exception {
    b.section("Burst of " + n + " ModelDeployments");
    String ns = b.namespace("burst-" + n);
    b.admin
        .resource(b.policy(ns, "two-step", CanaryStep.weight(50), CanaryStep.pause("5s")))
        .create();
    CpuSplit split = new CpuSplit(b);
    Map<String, Double> c0 = split.now();
    long a0 = b.audit.mark();
    Instant w0 = Instant.now();
    long t0 = System.nanoTime();
    Bench.parallel(
        n,
        i ->
            b.admin
                .resource(Bench.model(ns, "m-" + i, "two-step", TrafficProvider.ReplicaRatio))
                .create());
    b.await(ns, n, Duration.ofMinutes(30), m -> Bench.healthyAt(m, "1.0.0"));
    double create = (System.nanoTime() - t0) / 1e9;
    String createCpu = CpuSplit.between(c0, split.now(), create);
    Map<String, Integer> createCounts = b.audit.since(a0);
    Bench.say("N=%d: all Healthy at the first version %.1f s after the first create", n, create);

    String createBound = bound(a0, w0);
    Map<String, Double> c1 = split.now();
    long a1 = b.audit.mark();
    Instant w1 = Instant.now();
    long t1 = System.nanoTime();
    Bench.parallel(
        n,
        i ->
            Fixtures.patch(
                b.admin, ns, "m-" + i, "{\"spec\":{\"model\":{\"version\":\"2.0.0\"}}}"));
    b.await(ns, n, Duration.ofMinutes(30), m -> Bench.healthyAt(m, "2.0.0"));
    double rollout = (System.nanoTime() - t1) / 1e9;
    String rolloutCpu = CpuSplit.between(c1, split.now(), rollout);
    String rolloutBound = bound(a1, w1);
    // the old revision's pods go after scaleDownDelay: wait for them, their deletes count too
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (b.admin.apps().deployments().inNamespace(ns).list().getItems().size() > n
        && System.nanoTime() < deadline) {
      Thread.sleep(500);
    }
    Map<String, Integer> rolloutCounts = b.audit.since(a1);
    Bench.say("N=%d: all Healthy at the second version %.1f s after the first patch", n, rollout);
    List<Double> durations =
        b.list(ns).stream()
            .map(m -> m.getStatus().history.get(0))
            .filter(h -> h.outcome == HistoryEntry.Outcome.Promoted && "2.0.0".equals(h.version))
            .map(Bench::seconds)
            .toList();

    double perRollout = Audit.writes(rolloutCounts) / (double) n;
    b.report.append("| figure | value |\n|---|---|\n");
    row("create → all Healthy", String.format("%.1f s (%s)", create, createBound));
    row("new version → all Healthy", String.format("%.1f s (%s)", rollout, rolloutBound));
    row("CPU by process until all were Healthy at the first version", createCpu);
    row("CPU by process until all were Healthy at the second version", rolloutCpu);
    row(
        "rollout duration p50 / p95 / max (policy minimum " + POLICY_MINIMUM + " s)",
        String.format(
            "%.0f / %.0f / %.0f s",
            Bench.percentile(durations, 50),
            Bench.percentile(durations, 95),
            Bench.percentile(durations, 100)));
    row(
        "writes per ModelDeployment to create it",
        String.format(
            "%.2f (%s)",
            Audit.writes(createCounts) / (double) n, Bench.table(createCounts, n, "")));
    row(
        "writes per ModelDeployment per rollout",
        String.format("%.2f (%s)", perRollout, Bench.table(rolloutCounts, n, "")));
    row(
        "writes per canary step (setWeight, pause, promote)",
        String.format("%.2f", perRollout / 3));
    double[] mem = memory(n);
    row(
        "heap after a full GC (live) / RSS",
        String.format(
            "%.1f MiB (and %.1f MiB of the young generation allocated before the reading) / %.0f"
                + " MiB (%s)",
            mem[0], lastYoung, mem[1], lastRssSplit));
    b.verdict(
        perRollout / 3 <= 3, "writes per canary step <= 3 at N = %d: %.2f", n, perRollout / 3);
    if (n == 200) { // the targets set against Argo Rollouts at N = 200
      b.verdict(rollout < 16, "N = %d version change -> all Healthy < 16 s: %.1f s", n, rollout);
      b.verdict(create < 9, "N = %d create -> all Healthy < 9 s: %.1f s", n, create);
      b.verdict(mem[1] < 150, "N = %d RSS < 150 MiB: %.0f MiB", n, mem[1]);
      if (b.argoRaised != null) { // the same targets against Argo measured today, on these cores
        String[] how = {"no Services", "a Service per Rollout"};
        for (int k = 0; k < 2; k++) {
          double[] argo = b.argoRaised[k];
          b.verdict(
              create < argo[0],
              "N = %d create ahead of Argo Rollouts in this run (raised limits, %s): %.1f against"
                  + " %.1f s",
              n,
              how[k],
              create,
              argo[0]);
          b.verdict(
              rollout < argo[1],
              "N = %d version change ahead of Argo Rollouts in this run (raised limits, %s): %.1f"
                  + " against %.1f s",
              n,
              how[k],
              rollout,
              argo[1]);
        }
      }
    }
    if (last && b.idleAndRestart) {
      idle(ns, n);
      restart(ns, n);
    } else if (!last) {
      b.admin.namespaces().withName(ns).delete();
      long gone = System.nanoTime() + Duration.ofMinutes(10).toNanos();
      while (b.admin.namespaces().withName(ns).get() != null && System.nanoTime() < gone) {
        Thread.sleep(1000);
      }
    }
    return mem;
  }

  /**
   * What the time went on, from the audit log: the operator's last Deployment write, the last pod
   * made ready (KWOK's pods/status patches) and the operator's last status write.
   */
  private String bound(long mark, Instant t0) throws Exception {
    double deployments = b.audit.lastAt(mark, t0, "patch deployments", false);
    double pods = b.audit.lastAt(mark, t0, "patch pods/status", true);
    double status = b.audit.lastAt(mark, t0, "patch modeldeployments/status", false);
    return String.format(
        "last revision Deployment written at %.1f s, last pod ready at %.1f s, last status at %.1f s",
        deployments, pods, status);
  }

  private String lastRssSplit = "";
  private double lastYoung;

  private double[] memory(int n) throws Exception {
    long pid = b.operator.pid();
    double[] heapInfo = ProcessStats.heapAfterGcMiB(pid);
    double heap = heapInfo[0];
    lastYoung = heapInfo[1];
    double rss = ProcessStats.rssMiB(pid);
    lastRssSplit = ProcessStats.rssSplit(pid);
    Bench.say(
        "N=%d: heap after GC %.1f MiB (young generation %.1f MiB in use when read), RSS %.0f MiB"
            + " (%s)",
        n, heap, lastYoung, rss, lastRssSplit);
    // what the heap holds, for the next person who chases the per-object cost
    String histogram = ProcessStats.jcmd(pid, "GC.class_histogram");
    java.nio.file.Files.createDirectories(b.out);
    java.nio.file.Files.writeString(
        b.out.resolve(java.time.LocalDate.now() + "-n" + n + "-histogram.txt"),
        String.join("\n", histogram.lines().limit(45).toList()) + "\n");
    if (b.jvm.stream().anyMatch(f -> f.startsWith("-XX:NativeMemoryTracking="))) {
      String nmt = ProcessStats.jcmd(pid, "VM.native_memory summary scale=MB");
      java.nio.file.Files.writeString(
          b.out.resolve(java.time.LocalDate.now() + "-n" + n + "-native.txt"),
          nmt + "\n" + ProcessStats.jcmd(pid, "VM.metaspace"));
      b.report
          .append("\nNative memory of the operator at N = ")
          .append(n)
          .append(" (`jcmd VM.native_memory summary`, committed MB):\n\n```\n")
          .append(ProcessStats.nmtCommitted(nmt))
          .append("```\n");
    }
    if (n >= 2000) {
      b.verdict(heap < 200, "N = %d heap after GC < 200 MiB: %.1f MiB", n, heap);
      b.verdict(rss < 400, "N = %d RSS < 400 MiB: %.0f MiB", n, rss);
    }
    return new double[] {heap, rss};
  }

  /** Writes and CPU while nothing changes, over a window that holds a resync of every object. */
  private void idle(String ns, int n) throws Exception {
    long pid = b.operator.pid();
    long mark = b.audit.mark();
    double cpu0 = ProcessStats.cpuSeconds(pid);
    Thread.sleep(Duration.ofSeconds(75).toMillis()); // resync is 60 s in the benchmark
    double cpu = ProcessStats.cpuSeconds(pid) - cpu0;
    Map<String, Integer> counts = b.audit.since(mark);
    int writes = Audit.writes(counts);
    double perMinute = cpu / 75 * 60;
    row("writes while idle for 75 s (one resync of all " + n + ")", String.valueOf(writes));
    row(
        "reads while idle for 75 s",
        Audit.reads(counts)
            + " ("
            + counts.keySet().stream()
                .filter(k -> k.startsWith("get") || k.startsWith("list") || k.startsWith("watch"))
                .toList()
            + ")");
    row(
        "CPU while idle",
        String.format("%.2f s per minute (%.1f%% of a core)", perMinute, perMinute / 60 * 100));
    b.verdict(writes == 0, "0 writes per no-op reconcile and resync at N = %d: %d", n, writes);
    idleWithResync60 = perMinute;
  }

  private double idleWithResync60;

  /**
   * CPU while idle with the operator's default resync (5 m), measured over 60 s after the restart
   * (no resync falls in it), and with one resync of every object per 5 m added from the 60 s resync
   * run: (idle at 60 s - steady) / 5.
   */
  private void idleAtDefaults(int n) throws Exception {
    long pid = b.operator.pid();
    double cpu0 = ProcessStats.cpuSeconds(pid);
    Thread.sleep(Duration.ofSeconds(60).toMillis());
    double steady = ProcessStats.cpuSeconds(pid) - cpu0;
    double amortized = steady + Math.max(0, idleWithResync60 - steady) / 5;
    row(
        "CPU while idle, default resync (5 m): 60 s without a resync / with one resync per 5 m",
        String.format(
            "%.2f s per minute (%.1f%%) / %.2f s per minute (%.1f%% of a core)",
            steady, steady / 60 * 100, amortized, amortized / 60 * 100));
    b.verdict(
        amortized / 60 < 0.02,
        "idle CPU < 2%% of a core at N = %d (default resync 5 m): %.1f%% (%.1f%% with a 60 s"
            + " resync)",
        n,
        amortized / 60 * 100,
        idleWithResync60 / 60 * 100);
  }

  /** A restart at full size: time to ready, and not a single write afterwards. */
  private void restart(String ns, int n) throws Exception {
    b.operator.terminate(Duration.ofSeconds(30));
    long mark = b.audit.mark();
    long t0 = System.nanoTime();
    b.operator = b.startOperator("bench-restart", "5m");
    double ready = (System.nanoTime() - t0) / 1e9;
    Thread.sleep(Duration.ofSeconds(30).toMillis());
    int writes = Audit.writes(b.audit.since(mark));
    long healthy = b.list(ns).stream().filter(m -> Bench.healthyAt(m, "2.0.0")).count();
    row("restart: process start → ready (informers synced)", String.format("%.1f s", ready));
    row("restart: writes in the 30 s after start", String.valueOf(writes));
    b.verdict(ready < 10, "ready after restart at N = %d < 10 s: %.1f s", n, ready);
    b.verdict(
        writes == 0 && healthy == n,
        "all Healthy again after a restart without a write at N = %d: %d writes, %d/%d Healthy",
        n,
        writes,
        healthy,
        n);
    idleAtDefaults(n);
  }

  private void row(String figure, String value) {
    b.report.append("| ").append(figure).append(" | ").append(value).append(" |\n");
  }

  @SuppressWarnings("unused")
  private static boolean promoted(ModelDeployment m) {
    return Bench.healthyAt(m, "2.0.0");
  }
}
