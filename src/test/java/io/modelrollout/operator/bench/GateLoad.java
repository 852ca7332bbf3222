package io.modelrollout.operator.bench;

import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.RolloutPolicy;
import io.modelrollout.operator.api.TrafficProvider;
import io.modelrollout.operator.testing.Fixtures;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Many gates at once: N ModelDeployments in analysis together, each with a 1 s gate; the queries
 * per second Prometheus serves, and how late the gates are measured (the operator's
 * modelrollout_gate_lag histogram).
 */
final class GateLoad {
  private static final Pattern BUCKET =
      Pattern.compile(
          "modelrollout_gate_lag_seconds_bucket\\{[^}]*le=\"([^\"]+)\"[^}]*} ([0-9.eE+]+)");
  private static final Pattern QUERIES =
      Pattern.compile(
          "prometheus_http_requests_total\\{code=\"200\",handler=\"/api/v1/query\"} ([0-9.eE+]+)");
  private final Bench b;

  GateLoad(Bench b) {
    this.b = b;
  }

  void run(int n) throws Exception {
    b.section("Gate load: " + n + " ModelDeployments in analysis at once, 1 s intervals");
    String ns = b.namespace("gates");
    RolloutPolicy p = b.policy(ns, "analysed", CanaryStep.analysis("errors"));
    p.getSpec().gates.add(Bench.errorsGate(1000));
    b.admin.resource(p).create();
    b.publish("model_errors{model=\"fraud-detector\",version=\"2.0.0\"}", 0.0);
    Bench.parallel(
        n,
        i ->
            b.admin
                .resource(Bench.model(ns, "g-" + i, "analysed", TrafficProvider.ReplicaRatio))
                .create());
    b.await(ns, n, Duration.ofMinutes(30), m -> Bench.healthyAt(m, "1.0.0"));
    Bench.parallel(
        n,
        i ->
            Fixtures.patch(
                b.admin, ns, "g-" + i, "{\"spec\":{\"model\":{\"version\":\"2.0.0\"}}}"));
    b.await(
        ns,
        n,
        Duration.ofMinutes(10),
        m -> "analysis errors".equals(m.getStatus().currentStep) && !m.getStatus().gates.isEmpty());
    Thread.sleep(10_000);
    long pid = b.operator.pid();
    Map<Double, Double> lag0 = lag();
    double q0 = queries();
    double cpu0 = ProcessStats.cpuSeconds(pid);
    CpuSplit split = new CpuSplit(b);
    Map<String, Double> all0 = split.now();
    long mark = b.audit.mark();
    int window = 60;
    Thread.sleep(window * 1000L);
    Map<Double, Double> lag1 = lag();
    double qps = (queries() - q0) / window;
    double cpu = (ProcessStats.cpuSeconds(pid) - cpu0) / window;
    String byProcess = CpuSplit.between(all0, split.now(), window);
    double p50 = quantile(lag0, lag1, 0.50);
    double p95 = quantile(lag0, lag1, 0.95);
    double ideal = n; // one query per gate per second
    b.report.append(
        String.format(
            "Over %d s: Prometheus served %.0f queries per second (ideal %d: one per gate per"
                + " second); gate lag (due → measured, query included; interpolated within the histogram's buckets) p50 %.2f s, p95 %.2f s;"
                + " the operator used %.2f cores; 8 queries in flight at most"
                + " (MRO_PROMETHEUS_CONCURRENCY); no reconcile thread waits on a query.%n",
            window, qps, (int) ideal, p50, p95, cpu));
    b.report.append(String.format("%nCPU by process over those %d s: %s.%n", window, byProcess));
    b.report.append(
        String.format("%nThe operator's API requests per second over those %d s: ", window));
    b.report.append(
        String.join(
            ", ",
            b.audit.since(mark).entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(8)
                .map(e -> String.format("%s %.1f", e.getKey(), e.getValue() / (double) window))
                .toList()));
    b.report.append(".\n");
    b.verdict(
        p95 < 1.0,
        "%d gates at 1 s intervals, lag p95 < 1 s: %.2f s (%.0f queries/s)",
        n,
        p95,
        qps);
  }

  private Map<Double, Double> lag() throws Exception {
    String page = Bench.get("http://127.0.0.1:" + b.operator.port + "/q/metrics");
    Map<Double, Double> out = new TreeMap<>();
    Matcher m = BUCKET.matcher(page);
    while (m.find()) {
      double le =
          m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
      out.merge(le, Double.parseDouble(m.group(2)), Double::sum);
    }
    return out;
  }

  private double queries() throws Exception {
    Matcher m = QUERIES.matcher(Bench.get(b.prometheus.address() + "/metrics"));
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  /**
   * The q-quantile of the observations between two histogram snapshots, interpolated linearly
   * within its bucket as Prometheus' histogram_quantile does (from 0 in the first bucket; the last
   * finite bound when it is +Inf).
   */
  static double quantile(Map<Double, Double> before, Map<Double, Double> after, double q) {
    double total =
        after.getOrDefault(Double.POSITIVE_INFINITY, 0.0)
            - before.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
    if (total <= 0) {
      return Double.NaN;
    }
    double rank = q * total;
    double lower = 0;
    double below = 0;
    for (Map.Entry<Double, Double> e : after.entrySet()) {
      double count = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
      if (count >= rank) {
        if (e.getKey().isInfinite()) {
          return lower;
        }
        double inBucket = count - below;
        return inBucket <= 0
            ? e.getKey()
            : lower + (e.getKey() - lower) * (rank - below) / inBucket;
      }
      lower = e.getKey();
      below = count;
    }
    return Double.POSITIVE_INFINITY;
  }
}
