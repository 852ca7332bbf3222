package io.modelrollout.operator.e2e;

import io.modelrollout.operator.testing.TestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The duration of each end-to-end scenario and the operator's peak RSS, printed as they finish and
 * written to target/e2e/report.md.
 */
final class E2EReport {
  private static final List<String> ROWS = new ArrayList<>();

  private E2EReport() {}

  /** Records a finished scenario. */
  static synchronized void scenario(String name, long startedNanos, long peakRssMiB) {
    double seconds = (System.nanoTime() - startedNanos) / 1e9;
    String row =
        String.format(
            "| %s | %.1f s | %s |", name, seconds, peakRssMiB < 0 ? "-" : peakRssMiB + " MiB");
    ROWS.add(row);
    System.out.println("[e2e] " + row);
    try {
      Path f = TestCluster.projectDir().resolve("target/e2e/report.md");
      Files.createDirectories(f.getParent());
      Files.writeString(
          f,
          "| scenario | duration | operator peak RSS |\n|---|---|---|\n"
              + String.join("\n", ROWS)
              + "\n");
    } catch (IOException e) {
      // the report is for people; the test result stands
    }
  }
}
