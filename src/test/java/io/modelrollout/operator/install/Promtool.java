package io.modelrollout.operator.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

/** Runs Debian's promtool (package prometheus, which .ci/run installs). */
final class Promtool {
  private Promtool() {}

  static String binary() {
    return System.getProperty("mro.promtool", "/usr/bin/promtool");
  }

  /** {@code promtool check rules} on a rules file; fails the test with promtool's output. */
  static void checkRules(String rules) throws Exception {
    assertThat(Path.of(binary()))
        .as("promtool is missing: install Debian's prometheus package (.ci/run does)")
        .isExecutable();
    Path f = Files.createTempFile("rules", ".yml");
    Files.writeString(f, rules);
    try {
      Process p =
          new ProcessBuilder(binary(), "check", "rules", f.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes());
      assertThat(p.waitFor()).as("promtool check rules:\n%s\n%s", out, rules).isZero();
    } finally {
      Files.deleteIfExists(f);
    }
  }
}
