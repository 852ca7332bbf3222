package io.modelrollout.operator.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Prometheus exporter in the test JVM: serves gauges in the text exposition format at /metrics,
 * with values the test sets (e.g. a per-version error ratio).
 */
public final class TestExporter implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, Double> series = new ConcurrentHashMap<>();

  public TestExporter() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/metrics",
        ex -> {
          byte[] body = render().getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  /** Sets a series, written as in PromQL: {@code name{label="value",...}}. */
  public TestExporter set(String series, double value) {
    this.series.put(series, value);
    return this;
  }

  public TestExporter remove(String series) {
    this.series.remove(series);
    return this;
  }

  public String target() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  private String render() {
    StringBuilder sb = new StringBuilder();
    new TreeMap<>(series).forEach((k, v) -> sb.append(k).append(' ').append(fmt(v)).append('\n'));
    return sb.toString();
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "NaN" : Double.toString(v);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
