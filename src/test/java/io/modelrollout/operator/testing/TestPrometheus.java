package io.modelrollout.operator.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Prometheus server (Debian's package, /usr/bin/prometheus) on 127.0.0.1, scraping one
 * target every second. It can be stopped and started again on the same port and data.
 */
public final class TestPrometheus implements AutoCloseable {
  /** bcrypt of "gate-password", for the basic-auth web config. */
  public static final String BASIC_USER = "gates";

  public static final String BASIC_PASSWORD = "gate-password";
  private static final String BASIC_HASH =
      "$2b$10$LcYQvc3GmAJITdilyoFql.z.EcwnmbyjEHm0EY1q4S/qUog1WLUDu";

  private final Path dir;
  private final int port;
  private final String webConfig;
  private Process process;

  private TestPrometheus(String scrapeTarget, String webConfig) throws IOException {
    this.dir = Files.createTempDirectory("prometheus");
    this.port = freePort();
    this.webConfig = webConfig;
    Files.writeString(
        dir.resolve("prometheus.yml"),
        "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
            + "scrape_configs:\n"
            + "  - job_name: models\n"
            + "    static_configs: [{targets: ['"
            + scrapeTarget
            + "']}]\n");
    if (webConfig != null) {
      Files.writeString(dir.resolve("web.yml"), webConfig);
    }
  }

  /** A Prometheus scraping {@code target} (host:port), no auth. */
  public static TestPrometheus start(String target) throws Exception {
    TestPrometheus p = new TestPrometheus(target, null);
    p.start();
    return p;
  }

  /** A Prometheus that requires basic auth ({@link #BASIC_USER} / {@link #BASIC_PASSWORD}). */
  public static TestPrometheus startWithBasicAuth(String target) throws Exception {
    TestPrometheus p =
        new TestPrometheus(target, "basic_auth_users:\n  " + BASIC_USER + ": " + BASIC_HASH + "\n");
    p.start();
    return p;
  }

  /** A Prometheus serving HTTPS with the given PEM certificate and key. */
  public static TestPrometheus startWithTls(String target, Path cert, Path key) throws Exception {
    TestPrometheus p =
        new TestPrometheus(
            target, "tls_server_config:\n  cert_file: " + cert + "\n  key_file: " + key + "\n");
    p.start();
    return p;
  }

  public static boolean installed() {
    return Files.isExecutable(Path.of(binary()));
  }

  private static String binary() {
    return System.getProperty("mro.prometheus", "/usr/bin/prometheus");
  }

  public synchronized void start() throws Exception {
    if (!installed()) {
      throw new IllegalStateException(
          binary() + " is missing: install Debian's prometheus package (.ci/run does)");
    }
    List<String> cmd =
        new ArrayList<>(
            List.of(
                binary(),
                "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn"));
    if (webConfig != null) {
      cmd.add("--web.config.file=" + dir.resolve("web.yml"));
    }
    process =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    HttpClient http = HttpClient.newHttpClient();
    boolean tls = webConfig != null && webConfig.contains("tls_server_config");
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "prometheus exited: " + Files.readString(dir.resolve("prometheus.log")));
      }
      try {
        if (tls) {
          try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            return;
          }
        }
        int code =
            http.send(
                    HttpRequest.newBuilder(URI.create(address() + "/-/ready")).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode();
        if (code == 200 || code == 401) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("prometheus did not become ready");
  }

  public synchronized void stop() throws InterruptedException {
    if (process != null) {
      process.destroy();
      process.waitFor();
      process = null;
    }
  }

  /** The server's process id, or -1 when it is not running. */
  public synchronized long pid() {
    return process == null || !process.isAlive() ? -1 : process.pid();
  }

  public String address() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  @Override
  public void close() throws Exception {
    stop();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
