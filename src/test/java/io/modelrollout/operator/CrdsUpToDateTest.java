package io.modelrollout.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelrollout.operator.testing.TestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The CRDs committed under crds/ are exactly what the build generates into target/crds. */
class CrdsUpToDateTest {
  @Test
  void committedCrdsMatchTheGeneratedOnes() throws IOException {
    Path generated = TestCluster.projectDir().resolve("target/crds");
    Path committed = TestCluster.projectDir().resolve("crds");
    assertThat(generated).as("run the build: the exec plugin generates target/crds").isDirectory();
    try (Stream<Path> files = Files.list(generated)) {
      for (Path g : files.sorted().toList()) {
        Path c = committed.resolve(g.getFileName());
        assertThat(c).as("crds/%s is missing; copy it from target/crds", g.getFileName()).exists();
        assertThat(Files.readString(c))
            .as("crds/%s differs from the generated CRD; run make crds", g.getFileName())
            .isEqualTo(Files.readString(g));
      }
    }
    try (Stream<Path> files = Files.list(committed)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("crds/ holds files the build no longer generates")
          .allMatch(n -> Files.exists(generated.resolve(n)));
    }
  }
}
