package io.modelrollout.operator.e2e;

import io.modelrollout.operator.testing.TestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The outcome and duration of each end-to-end scenario and the operator's peak RSS, printed as they
 * finish and written to target/e2e/report.md; a scenario that fails is reported too, as FAILED.
 */
final class E2EReport {
  private static final List<String> ROWS = new ArrayList<>();

  private E2EReport() {}

  /**
   * Starts timing a scenario; closing it (a finally) records it, PASSED only after {@link
   * Scenario#passed()}. {@code rss} is read at the end, after any sample given to {@link
   * Scenario#rss}: the peak of the operator then running, or -1 when it is gone.
   */
  static Scenario start(String name, LongSupplier rss) {
    return new Scenario(name, System.nanoTime(), rss);
  }

  /** One scenario being timed. */
  static final class Scenario implements AutoCloseable {
    private final String name;
    private final long startedNanos;
    private final LongSupplier rss;
    private long peakRssMiB = -1;
    private boolean passed;

    private Scenario(String name, long startedNanos, LongSupplier rss) {
      this.name = name;
      this.startedNanos = startedNanos;
      this.rss = rss;
    }

    /** Records the peak RSS of an operator that is about to go (killed, replaced). */
    void rss(long mib) {
      peakRssMiB = Math.max(peakRssMiB, mib);
    }

    /** The scenario's assertions all held. */
    void passed() {
      passed = true;
    }

    @Override
    public void close() {
      try {
        rss(rss.getAsLong());
      } catch (RuntimeException e) {
        // the operator was never started: no figure
      }
      scenario(name, startedNanos, peakRssMiB, passed);
    }
  }

  /** Records a finished scenario. */
  static synchronized void scenario(
      String name, long startedNanos, long peakRssMiB, boolean passed) {
    double seconds = (System.nanoTime() - startedNanos) / 1e9;
    String row =
        String.format(
            "| %s | %s | %.1f s | %s |",
            name,
            passed ? "passed" : "FAILED",
            seconds,
            peakRssMiB < 0 ? "-" : peakRssMiB + " MiB");
    ROWS.add(row);
    System.out.println("[e2e] " + row);
    try {
      Path f = TestCluster.projectDir().resolve("target/e2e/report.md");
      Files.createDirectories(f.getParent());
      Files.writeString(
          f,
          "| scenario | result | duration | operator peak RSS |\n|---|---|---|---|\n"
              + String.join("\n", ROWS)
              + "\n");
    } catch (IOException e) {
      // the report is for people; the test result stands
    }
  }
}
