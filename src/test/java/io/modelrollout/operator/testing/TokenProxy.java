package io.modelrollout.operator.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A reverse proxy in front of Prometheus that answers 401 unless a header has a value. */
public final class TokenProxy implements AutoCloseable {
  private final HttpServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  /** Requires {@code Authorization: Bearer <token>}. */
  public TokenProxy(String upstream, String token) throws IOException {
    this(upstream, "Authorization", "Bearer " + token);
  }

  /** Requires header {@code name} to be {@code value}. */
  public TokenProxy(String upstream, String name, String value) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        ex -> {
          String auth = ex.getRequestHeaders().getFirst(name);
          byte[] body;
          int code;
          if (!value.equals(auth)) {
            code = 401;
            body = "{\"status\":\"error\",\"error\":\"unauthorized\"}".getBytes();
          } else {
            try {
              HttpResponse<byte[]> r =
                  http.send(
                      HttpRequest.newBuilder(URI.create(upstream + ex.getRequestURI())).build(),
                      HttpResponse.BodyHandlers.ofByteArray());
              code = r.statusCode();
              body = r.body();
            } catch (Exception e) {
              code = 502;
              body = e.toString().getBytes();
            }
          }
          ex.sendResponseHeaders(code, body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  public String address() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
