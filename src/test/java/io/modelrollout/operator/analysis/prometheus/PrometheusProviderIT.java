package io.modelrollout.operator.analysis.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.modelrollout.operator.analysis.Measurement;
import io.modelrollout.operator.analysis.Measurement.ErrorKind;
import io.modelrollout.operator.analysis.QueryTarget;
import io.modelrollout.operator.testing.TestExporter;
import io.modelrollout.operator.testing.TestPrometheus;
import io.modelrollout.operator.testing.TokenProxy;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Prometheus provider against a real Prometheus scraping a test exporter every second. */
class PrometheusProviderIT {
  static TestExporter exporter;
  static TestPrometheus prometheus;
  final PrometheusProvider provider = new PrometheusProvider();

  @BeforeAll
  static void start() throws Exception {
    exporter =
        new TestExporter()
            .set("model_error_ratio{version=\"1.0.0\",variant=\"stable\"}", 0.001)
            .set("model_error_ratio{version=\"2.0.0\",variant=\"canary\"}", 0.002);
    prometheus = TestPrometheus.start(exporter.target());
    PrometheusProvider p = new PrometheusProvider();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                p.query(target(prometheus.address()), "model_error_ratio{version=\"2.0.0\"}")
                    instanceof Measurement.Value);
  }

  @AfterAll
  static void stop() throws Exception {
    prometheus.close();
    exporter.close();
  }

  static QueryTarget target(String address) {
    return QueryTarget.plain(address, Duration.ofSeconds(2));
  }

  @Test
  void aVectorWithOneSeriesIsItsValue() {
    Measurement m =
        provider.query(target(prometheus.address()), "model_error_ratio{version=\"2.0.0\"}");
    assertThat(m).isEqualTo(new Measurement.Value(0.002, "model_error_ratio{version=\"2.0.0\"}"));
    assertThat(
            provider.query(
                target(prometheus.address()), "scalar(model_error_ratio{version=\"1.0.0\"})"))
        .isInstanceOfSatisfying(
            Measurement.Value.class, v -> assertThat(v.value()).isEqualTo(0.001));
  }

  @Test
  void aNewValueArrivesWithTheNextScrape() {
    exporter.set("model_error_ratio{version=\"3.0.0\",variant=\"canary\"}", 0.5);
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                provider.query(target(prometheus.address()), "model_error_ratio{version=\"3.0.0\"}")
                        instanceof Measurement.Value v
                    && v.value() == 0.5);
    exporter.set("model_error_ratio{version=\"3.0.0\",variant=\"canary\"}", 0.25);
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                provider.query(target(prometheus.address()), "model_error_ratio{version=\"3.0.0\"}")
                        instanceof Measurement.Value v
                    && v.value() == 0.25);
  }

  @Test
  void typedFailures() {
    String a = prometheus.address();
    assertThat(provider.query(target(a), "model_error_ratio{version=\"9.9.9\"}"))
        .isInstanceOf(Measurement.NoData.class);
    assertThat(kind(provider.query(target(a), "model_error_ratio")))
        .isEqualTo(ErrorKind.MANY_SERIES);
    assertThat(provider.query(target(a), "sum(model_error_ratio"))
        .isInstanceOfSatisfying(
            Measurement.Error.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.QUERY_ERROR);
              assertThat(e.message()).startsWith("bad_data: ");
            });
    assertThat(kind(provider.query(target(a), "0/0"))).isEqualTo(ErrorKind.NOT_A_NUMBER);
  }

  @Test
  void anUnreachableServerAndASilentOneAreTypedAndBounded() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    assertThat(kind(provider.query(target("http://127.0.0.1:" + closed), "up")))
        .isEqualTo(ErrorKind.UNREACHABLE);
    try (ServerSocket silent = new ServerSocket()) {
      silent.bind(new InetSocketAddress("127.0.0.1", 0));
      long start = System.nanoTime();
      Measurement m =
          provider.query(
              QueryTarget.plain("http://127.0.0.1:" + silent.getLocalPort(), Duration.ofSeconds(1)),
              "up");
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertThat(kind(m)).isEqualTo(ErrorKind.TIMEOUT);
      assertThat(ms).as("the caller is not held past the timeout (plus slack)").isLessThan(5_000);
    }
  }

  @Test
  void aBearerTokenAndExtraHeadersAreSent() throws Exception {
    try (TokenProxy proxy = new TokenProxy(prometheus.address(), "s3cret");
        TokenProxy tenant = new TokenProxy(prometheus.address(), "X-Scope-OrgID", "team-a")) {
      String q = "model_error_ratio{version=\"2.0.0\"}";
      assertThat(kind(provider.query(target(proxy.address()), q))).isEqualTo(ErrorKind.AUTH);
      QueryTarget withToken =
          new QueryTarget(
              proxy.address(), Duration.ofSeconds(2), "s3cret", null, null, null, Map.of());
      assertThat(provider.query(withToken, q)).isInstanceOf(Measurement.Value.class);
      QueryTarget withHeader =
          new QueryTarget(
              tenant.address(),
              Duration.ofSeconds(2),
              null,
              null,
              null,
              null,
              Map.of("X-Scope-OrgID", "team-a"));
      assertThat(provider.query(withHeader, q)).isInstanceOf(Measurement.Value.class);
    }
  }

  @Test
  void basicAuthAgainstPrometheusWebConfig() throws Exception {
    try (TestPrometheus secured = TestPrometheus.startWithBasicAuth(exporter.target())) {
      QueryTarget good =
          new QueryTarget(
              secured.address(),
              Duration.ofSeconds(2),
              null,
              TestPrometheus.BASIC_USER,
              TestPrometheus.BASIC_PASSWORD,
              null,
              Map.of());
      QueryTarget bad =
          new QueryTarget(
              secured.address(),
              Duration.ofSeconds(2),
              null,
              TestPrometheus.BASIC_USER,
              "wrong",
              null,
              Map.of());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  provider.query(good, "model_error_ratio{version=\"2.0.0\"}")
                      instanceof Measurement.Value);
      assertThat(kind(provider.query(bad, "up"))).isEqualTo(ErrorKind.AUTH);
      assertThat(kind(provider.query(target(secured.address()), "up"))).isEqualTo(ErrorKind.AUTH);
    }
  }

  @Test
  void tlsWithACaBundle() throws Exception {
    Path dir = Files.createTempDirectory("prom-tls");
    Path key = dir.resolve("tls.key");
    Path cert = dir.resolve("tls.crt");
    Process p =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString())
            .redirectErrorStream(true)
            .start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor()).isZero();
    try (TestPrometheus tls = TestPrometheus.startWithTls(exporter.target(), cert, key)) {
      String https = "https://127.0.0.1:" + tls.port();
      QueryTarget trusted =
          new QueryTarget(
              https, Duration.ofSeconds(2), null, null, null, Files.readString(cert), Map.of());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  provider.query(trusted, "model_error_ratio{version=\"2.0.0\"}")
                      instanceof Measurement.Value);
      assertThat(provider.query(target(https), "up"))
          .as("without the CA the certificate is not trusted")
          .isInstanceOfSatisfying(
              Measurement.Error.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNREACHABLE));
    }
  }

  private static ErrorKind kind(Measurement m) {
    assertThat(m).isInstanceOf(Measurement.Error.class);
    return ((Measurement.Error) m).kind();
  }
}
