package io.modelrollout.operator.cli;

import io.modelrollout.operator.testing.TestCluster;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The CLI's entry point run in this JVM, stdout and stderr captured. */
final class CliRun {
  private CliRun() {}

  /** An exit code and what was written. */
  record Result(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /** Runs {@code args} as {@code kubectl modelrollout} would, not on a terminal. */
  static Result run(String... args) {
    return run(false, args);
  }

  static Result run(boolean terminal, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CliEnv env =
        new CliEnv(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            Clock.systemUTC(),
            terminal,
            terminal ? 160 : 0,
            terminal ? 60 : 0,
            Map.of());
    int code = ModelRolloutCli.run(env, args);
    return new Result(code, out.toString(), err.toString());
  }

  /** {@code args} with {@code --kubeconfig FILE} of the test API server's admin in front. */
  static String[] admin(String... args) {
    List<String> all = new ArrayList<>(List.of("--kubeconfig", adminKubeconfig().toString()));
    all.addAll(List.of(args));
    return all.toArray(String[]::new);
  }

  private static Path kubeconfig;

  /** The test API server's admin kubeconfig, as a file. */
  static synchronized Path adminKubeconfig() {
    if (kubeconfig == null) {
      try {
        Path dir = Files.createDirectories(TestCluster.projectDir().resolve("target/cli-it"));
        kubeconfig = dir.resolve("admin.kubeconfig");
        Files.writeString(kubeconfig, TestCluster.kubeconfig());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return kubeconfig;
  }
}
