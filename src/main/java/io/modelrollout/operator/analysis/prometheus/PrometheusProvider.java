package io.modelrollout.operator.analysis.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelrollout.operator.analysis.Measurement;
import io.modelrollout.operator.analysis.Measurement.ErrorKind;
import io.modelrollout.operator.analysis.MetricProvider;
import io.modelrollout.operator.analysis.MetricProvider.Labeled;
import io.modelrollout.operator.analysis.QueryTarget;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Instant queries against the Prometheus HTTP API ({@code /api/v1/query}). Every failure is a typed
 * measurement; no call blocks past the target's timeout.
 */
public class PrometheusProvider implements MetricProvider {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClients clients;

  public PrometheusProvider() {
    this(new HttpClients());
  }

  PrometheusProvider(HttpClients clients) {
    this.clients = clients;
  }

  @Override
  public Measurement query(QueryTarget target, String query) {
    Object r = send(target, query);
    return r instanceof Measurement m ? m : parse((HttpResponse<String>) r, query);
  }

  @Override
  public Labeled queryByLabel(QueryTarget target, String query, String label) {
    Object r = send(target, query);
    return r instanceof Measurement m
        ? Labeled.failed(m)
        : parseByLabel((HttpResponse<String>) r, query, label);
  }

  /** The response, or the failure as a measurement. */
  @SuppressWarnings("unchecked")
  private Object send(QueryTarget target, String query) {
    if (target.address() == null || target.address().isBlank()) {
      return new Measurement.Error(ErrorKind.UNREACHABLE, "no Prometheus address", query);
    }
    HttpRequest request;
    try {
      request = request(target, query);
    } catch (IllegalArgumentException e) {
      return new Measurement.Error(
          ErrorKind.UNREACHABLE, "bad address " + target.address() + ": " + e.getMessage(), query);
    }
    HttpResponse<String> response;
    try {
      HttpClient client = clients.forTarget(target);
      response =
          client
              .sendAsync(request, HttpResponse.BodyHandlers.ofString())
              .get(target.timeout().toMillis() + 500, java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      return new Measurement.Error(
          ErrorKind.TIMEOUT, "no answer within " + target.timeout().toMillis() + " ms", query);
    } catch (java.util.concurrent.ExecutionException e) {
      return failure(e.getCause(), target, query);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Measurement.Error(ErrorKind.TIMEOUT, "interrupted", query);
    } catch (RuntimeException e) {
      return failure(e, target, query);
    }
    return response;
  }

  private static HttpRequest request(QueryTarget target, String query) {
    String base = target.address().endsWith("/") ? target.address() : target.address() + "/";
    URI uri =
        URI.create(base + "api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(target.timeout()).GET();
    b.header("Accept", "application/json");
    if (target.bearerToken() != null) {
      b.header("Authorization", "Bearer " + target.bearerToken());
    } else if (target.username() != null) {
      String up = target.username() + ":" + (target.password() == null ? "" : target.password());
      b.header(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(up.getBytes(StandardCharsets.UTF_8)));
    }
    for (Map.Entry<String, String> h : target.headers().entrySet()) {
      b.header(h.getKey(), h.getValue());
    }
    return b.build();
  }

  private static Measurement failure(Throwable t, QueryTarget target, String query) {
    if (t instanceof HttpTimeoutException) {
      return new Measurement.Error(
          ErrorKind.TIMEOUT, "no answer within " + target.timeout().toMillis() + " ms", query);
    }
    if (t instanceof ConnectException || t instanceof IOException) {
      String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      return new Measurement.Error(
          ErrorKind.UNREACHABLE, target.address() + " is unreachable: " + m, query);
    }
    return new Measurement.Error(ErrorKind.UNREACHABLE, String.valueOf(t), query);
  }

  /** One value per series, keyed by the series' {@code label}. */
  static Labeled parseByLabel(HttpResponse<String> response, String query, String label) {
    Object data = data(response, query);
    if (data instanceof Measurement m) {
      return Labeled.failed(m);
    }
    JsonNode d = (JsonNode) data;
    if (!"vector".equals(d.path("resultType").asText())) {
      return Labeled.failed(
          new Measurement.Error(
              ErrorKind.QUERY_ERROR,
              "expected a vector with one series per " + label + ", got " + d.path("resultType"),
              query));
    }
    JsonNode result = d.path("result");
    if (result.size() == 0) {
      return Labeled.failed(new Measurement.NoData(query, "the query returned no series"));
    }
    Map<String, Double> out = new java.util.LinkedHashMap<>();
    for (JsonNode series : result) {
      JsonNode key = series.path("metric").get(label);
      if (key == null) {
        return Labeled.failed(
            new Measurement.Error(
                ErrorKind.MANY_SERIES,
                "a series has no label " + label + "; aggregate with sum by (" + label + ")",
                query));
      }
      Measurement v = value(series.path("value").path(1).asText(), query);
      if (!(v instanceof Measurement.Value value)) {
        return Labeled.failed(v);
      }
      if (out.put(key.asText(), value.value()) != null) {
        return Labeled.failed(
            new Measurement.Error(
                ErrorKind.MANY_SERIES,
                "several series for "
                    + label
                    + "="
                    + key.asText()
                    + "; aggregate with sum by ("
                    + label
                    + ")",
                query));
      }
    }
    return Labeled.of(out);
  }

  /** The data of a successful answer, or the failure as a measurement. */
  private static Object data(HttpResponse<String> response, String query) {
    int code = response.statusCode();
    if (code == 401 || code == 403) {
      return new Measurement.Error(ErrorKind.AUTH, "Prometheus answered HTTP " + code, query);
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      return new Measurement.Error(
          ErrorKind.QUERY_ERROR,
          "HTTP " + code + ", not JSON: " + abbreviate(response.body()),
          query);
    }
    if (!"success".equals(body.path("status").asText())) {
      String err = body.path("error").asText("HTTP " + code);
      return new Measurement.Error(
          ErrorKind.QUERY_ERROR, body.path("errorType").asText("error") + ": " + err, query);
    }
    return body.path("data");
  }

  static Measurement parse(HttpResponse<String> response, String query) {
    int code = response.statusCode();
    if (code == 401 || code == 403) {
      return new Measurement.Error(ErrorKind.AUTH, "Prometheus answered HTTP " + code, query);
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      return new Measurement.Error(
          ErrorKind.QUERY_ERROR,
          "HTTP " + code + ", not JSON: " + abbreviate(response.body()),
          query);
    }
    if (!"success".equals(body.path("status").asText())) {
      String err = body.path("error").asText("HTTP " + code);
      return new Measurement.Error(
          ErrorKind.QUERY_ERROR, body.path("errorType").asText("error") + ": " + err, query);
    }
    JsonNode data = body.path("data");
    String type = data.path("resultType").asText();
    JsonNode result = data.path("result");
    return switch (type) {
      case "scalar" -> value(result.path(1).asText(), query);
      case "vector" -> {
        if (result.size() == 0) {
          yield new Measurement.NoData(query, "the query returned no series");
        }
        if (result.size() > 1) {
          yield new Measurement.Error(
              ErrorKind.MANY_SERIES,
              "the query returned "
                  + result.size()
                  + " series; aggregate it to one (e.g. sum(...))",
              query);
        }
        yield value(result.get(0).path("value").path(1).asText(), query);
      }
      default ->
          new Measurement.Error(
              ErrorKind.QUERY_ERROR, "unsupported result type '" + type + "'", query);
    };
  }

  private static Measurement value(String text, String query) {
    double v;
    try {
      v = Double.parseDouble(text.replace("+Inf", "Infinity").replace("-Inf", "-Infinity"));
    } catch (NumberFormatException e) {
      return new Measurement.Error(ErrorKind.QUERY_ERROR, "not a number: " + text, query);
    }
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return new Measurement.Error(ErrorKind.NOT_A_NUMBER, "the query returned " + text, query);
    }
    return new Measurement.Value(v, query);
  }

  private static String abbreviate(String s) {
    return s == null ? "" : s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
