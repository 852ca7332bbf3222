package io.modelrollout.operator.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU seconds by process of the benchmark's world (the control plane, Prometheus, the operator, the
 * harness with its exporter): what a figure was bound by when the cores are shared.
 */
final class CpuSplit {
  private final Bench b;

  CpuSplit(Bench b) {
    this.b = b;
  }

  /** CPU seconds used so far, by process name. */
  Map<String, Double> now() throws IOException {
    Map<String, Double> out = new LinkedHashMap<>();
    String run = b.cluster.run.toString();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(x -> x.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String cmd = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
          String comm = Files.readString(p.resolve("comm")).strip();
          if (cmd.contains(run) && !comm.equals("java") && !comm.startsWith("bash")) {
            long pid = Long.parseLong(p.getFileName().toString());
            String name =
                switch (comm) {
                  case "kube-controller" -> "kube-controller-manager";
                  case "rollouts-contro" -> "argo-rollouts";
                  default -> comm;
                };
            out.merge(name, ProcessStats.cpuSeconds(pid), Double::sum); // comm: 15 characters
          }
        } catch (IOException | RuntimeException gone) {
          // a process that ended between the listing and the read
        }
      }
    }
    put(out, "prometheus", b.prometheus.pid());
    put(out, "operator", b.operator == null ? -1 : b.operator.pid());
    put(out, "harness and exporter", ProcessHandle.current().pid());
    return out;
  }

  /** The CPU each process used between two snapshots, largest first, with the cores in use. */
  static String between(Map<String, Double> before, Map<String, Double> after, double seconds) {
    Map<String, Double> d = new LinkedHashMap<>();
    after.forEach((k, v) -> d.put(k, v - before.getOrDefault(k, 0.0)));
    double total = d.values().stream().mapToDouble(Double::doubleValue).sum();
    StringBuilder sb = new StringBuilder();
    d.entrySet().stream()
        .filter(e -> e.getValue() >= 0.05)
        .sorted((x, y) -> Double.compare(y.getValue(), x.getValue()))
        .forEach(e -> sb.append(String.format("%s %.1f s, ", e.getKey(), e.getValue())));
    return sb.append(
            String.format(
                "in all %.1f s over %.1f s (%.2f of %d cores)",
                total, seconds, total / seconds, Runtime.getRuntime().availableProcessors()))
        .toString();
  }

  private static void put(Map<String, Double> out, String name, long pid) {
    if (pid > 0) {
      try {
        out.put(name, ProcessStats.cpuSeconds(pid));
      } catch (IOException gone) {
        // not running
      }
    }
  }
}
