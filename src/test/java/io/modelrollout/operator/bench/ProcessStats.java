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

  /** The heap in use after a full collection, in MiB (jcmd GC.run, then GC.heap_info). */
  static double heapAfterGcMiB(long pid) throws Exception {
    jcmd(pid, "GC.run");
    String info = jcmd(pid, "GC.heap_info");
    long used = 0;
    for (String line : info.split("\n")) {
      // the first "used" of each heap summary line (G1: "garbage-first heap ... used NK";
      // Serial/Parallel: one line per generation)
      if (line.contains("heap") || line.contains("generation")) {
        Matcher m = USED.matcher(line);
        if (m.find()) {
          used += Long.parseLong(m.group(1));
        }
      }
    }
    return used / 1024.0;
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
