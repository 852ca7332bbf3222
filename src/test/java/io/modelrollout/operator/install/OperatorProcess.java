package io.modelrollout.operator.install;

import io.modelrollout.operator.testing.TestCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged operator (target/quarkus-app) or an image's entrypoint, run as a process. */
public final class OperatorProcess implements AutoCloseable {
  public final int port;
  public final Path log;
  private final Process process;
  private final HttpClient http = HttpClient.newHttpClient();

  private OperatorProcess(ProcessBuilder pb, int port, Path log) throws IOException {
    this.port = port;
    this.log = log;
    this.process = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** {@code java -jar quarkus-run.jar} with {@code env} (and nothing of this JVM's kubeconfig). */
  public static OperatorProcess jar(Map<String, String> env, Path log) throws IOException {
    return jar(env, log, List.of("-Xmx256m"));
  }

  /** The same with these JVM flags (e.g. the image's). */
  public static OperatorProcess jar(Map<String, String> env, Path log, List<String> jvm)
      throws IOException {
    int port = freePort();
    String jar =
        System.getProperty(
            "mro.runnerJar",
            TestCluster.projectDir().resolve("target/quarkus-app/quarkus-run.jar").toString());
    if (!Files.exists(Path.of(jar))) {
      throw new IllegalStateException(jar + " is missing: run ./mvnw package first");
    }
    List<String> cmd = new java.util.ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvm);
    cmd.add("-jar");
    cmd.add(jar);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("KUBECONFIG");
    pb.environment().putAll(env);
    pb.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
    pb.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
    return new OperatorProcess(pb, port, log);
  }

  /** Any command (an image's entrypoint under chroot) that serves HTTP on {@code port}. */
  static OperatorProcess command(List<String> cmd, Map<String, String> env, int port, Path log)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().clear();
    pb.environment().putAll(env);
    return new OperatorProcess(pb, port, log);
  }

  public long pid() {
    return process.pid();
  }

  /** Waits until /q/health/ready answers 200; fails with the log if the process exits. */
  public void awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the operator exited:\n" + log());
      }
      try {
        if (get("/q/health/ready").statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("the operator was not ready in " + timeout + ":\n" + log());
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public String log() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** Whether the process still runs. */
  public boolean alive() {
    return process.isAlive();
  }

  /** SIGKILL: the process dies at once, as when a node fails or the OOM killer strikes. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /** SIGTERM, as Kubernetes sends before a pod is replaced; returns the exit code. */
  public int terminate(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("the operator did not exit " + timeout + " after SIGTERM");
    }
    return process.exitValue();
  }

  /** The process's peak resident set size in MiB (VmHWM), or -1 when it is gone. */
  public long peakRssMiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // gone
    }
    return -1;
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
