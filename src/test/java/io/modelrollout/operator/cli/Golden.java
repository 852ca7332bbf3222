package io.modelrollout.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelrollout.operator.testing.TestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files under src/test/resources/cli/golden; {@code -Dmro.updateGolden=true} rewrites them
 * (then review the diff). ANSI escapes are stored as the two characters {@code \e}, so a diff of a
 * terminal rendering stays readable.
 */
final class Golden {
  static final Path DIR = TestCluster.projectDir().resolve("src/test/resources/cli/golden");

  private Golden() {}

  static void assertMatches(String file, String actual) throws IOException {
    Path f = DIR.resolve(file);
    String text = actual.replace("\u001b", "\\e");
    if (Boolean.getBoolean("mro.updateGolden")) {
      Files.createDirectories(f.getParent());
      Files.writeString(f, text);
      return;
    }
    assertThat(f)
        .as("golden file %s is missing: run with -Dmro.updateGolden=true and review it", f)
        .exists();
    assertThat(text).as("rendering differs from %s", f).isEqualTo(Files.readString(f));
  }
}
