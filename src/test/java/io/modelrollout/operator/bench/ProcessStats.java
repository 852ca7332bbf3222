package io.modelrollout.operator.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Memory and CPU of a process, from /proc and jcmd. */
final class ProcessStats {
  private static final long TICKS = 100; // USER_HZ on Linux
  private static final Pattern USED = Pattern.compile("used (\\d+)K");

  private ProcessStats() {}

  static long rssMiB(long pid) throws IOException {
    return statusField(pid, "VmRSS:") / 1024;
  }

  /** RSS split into anonymous memory, mapped files (the JDK, jars, CDS) and shared memory. */
  static String rssSplit(long pid) throws IOException {
    return String.format(
        "anon %d MiB, file %d MiB, shmem %d MiB",
        statusField(pid, "RssAnon:") / 1024,
        statusField(pid, "RssFile:") / 1024,
        statusField(pid, "RssShmem:") / 1024);
  }

  static long peakRssMiB(long pid) throws IOException {
    return statusField(pid, "VmHWM:") / 1024;
  }

  /** CPU seconds used so far (user + system). */
  static double cpuSeconds(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) TICKS;
  }

  /**
   * The heap after a full collection, in MiB (jcmd GC.run, then GC.heap_info): {live, young}. Live
   * is what the collection kept (the old generation of the serial and parallel collectors, the
   * whole heap of G1); young is what the operator allocated in the moment between the collection
   * and the reading, which a busy operator (a burst's deletions still under way) makes tens of MiB.
   */
  static double[] heapAfterGcMiB(long pid) throws Exception {
    jcmd(pid, "GC.run");
    return heapInfo(jcmd(pid, "GC.heap_info"));
  }

  static double[] heapInfo(String info) {
    long live = 0;
    long young = 0;
    for (String line : info.split("\n")) {
      Matcher m = USED.matcher(line);
      if (!m.find()) {
        continue;
      }
      long used = Long.parseLong(m.group(1));
      if (line.contains("tenured generation")
          || line.contains("ParOldGen")
          || line.contains("garbage-first heap")) {
        live += used;
      } else if (line.contains("new generation") || line.contains("PSYoungGen")) {
        young += used;
      }
    }
    return new double[] {live / 1024.0, young / 1024.0};
  }

  /** The total and per-category lines of a native memory summary, as jcmd prints them. */
  static String nmtCommitted(String summary) {
    StringBuilder out = new StringBuilder();
    for (String line : summary.split("\n")) {
      String t = line.strip();
      if (t.startsWith("Total:") || t.matches("-\\s+\\S.*\\(reserved=.*")) {
        out.append(t.replaceFirst("^-\\s+", "")).append('\n');
      }
    }
    return out.toString();
  }

  static String jcmd(long pid, String command) throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p =
        new ProcessBuilder(List.of(jcmd.toString(), String.valueOf(pid), command))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out;
  }

  private static long statusField(long pid, String name) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
      if (line.startsWith(name)) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }
}
