package io.modelrollout.operator.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The external metrics API (external.metrics.k8s.io/v1beta1) for the HorizontalPodAutoscaler
 * controller of the full control plane, where no metrics server runs: an HTTPS server in the test
 * JVM on the machine's own (non-loopback) address, registered as an aggregated APIService behind a
 * selector-less Service whose endpoints are that address (kube-apiserver routes to endpoints with
 * --enable-aggregator-routing). Every metric has the value the test sets.
 */
public final class ExternalMetricsServer implements AutoCloseable {
  public static final String GROUP_VERSION = "external.metrics.k8s.io/v1beta1";
  private final HttpsServer server;
  private final Map<String, Double> values = new ConcurrentHashMap<>();

  public ExternalMetricsServer() throws Exception {
    InetAddress host = hostAddress();
    server = HttpsServer.create(new InetSocketAddress(host, 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(sslContext()));
    server.createContext("/", this::handle);
    server.start();
  }

  /** Sets the value every namespace sees for {@code metric}. */
  public void set(String metric, double value) {
    values.put(metric, value);
  }

  /**
   * Registers the server with the cluster: Service, Endpoints, EndpointSlice and APIService, in
   * {@code namespace}.
   */
  public void register(KubernetesClient admin, String namespace) {
    String ip = server.getAddress().getAddress().getHostAddress();
    int port = server.getAddress().getPort();
    String name = "mro-external-metrics";
    admin
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withNewSpec()
                .addNewPort()
                .withName("https")
                .withPort(443)
                .withNewTargetPort(port)
                .endPort()
                .endSpec()
                .build())
        .forceConflicts()
        .serverSideApply();
    admin
        .resource(
            new EndpointsBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withSubsets(
                    new EndpointSubsetBuilder()
                        .withAddresses(new EndpointAddressBuilder().withIp(ip).build())
                        .withPorts(
                            new EndpointPortBuilder().withName("https").withPort(port).build())
                        .build())
                .build())
        .forceConflicts()
        .serverSideApply();
    admin
        .resource(
            new EndpointSliceBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .addToLabels("kubernetes.io/service-name", name)
                .endMetadata()
                .withAddressType("IPv4")
                .addNewEndpoint()
                .withAddresses(ip)
                .endEndpoint()
                .addNewPort()
                .withName("https")
                .withPort(port)
                .withProtocol("TCP")
                .endPort()
                .build())
        .forceConflicts()
        .serverSideApply();
    admin
        .resource(
            new GenericKubernetesResourceBuilder()
                .withApiVersion("apiregistration.k8s.io/v1")
                .withKind("APIService")
                .withNewMetadata()
                .withName("v1beta1.external.metrics.k8s.io")
                .endMetadata()
                .withAdditionalProperties(
                    Map.of(
                        "spec",
                        Map.of(
                            "group",
                            "external.metrics.k8s.io",
                            "version",
                            "v1beta1",
                            "insecureSkipTLSVerify",
                            true,
                            "groupPriorityMinimum",
                            100,
                            "versionPriority",
                            100,
                            "service",
                            Map.of("namespace", namespace, "name", name, "port", 443))))
                .build())
        .forceConflicts()
        .serverSideApply();
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    String prefix = "/apis/" + GROUP_VERSION;
    String body;
    int code = 200;
    if (path.equals(prefix)) {
      body =
          "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\""
              + GROUP_VERSION
              + "\",\"resources\":[{\"name\":\"*\",\"singularName\":\"\",\"namespaced\":true,"
              + "\"kind\":\"ExternalMetricValueList\",\"verbs\":[\"get\"]}]}";
    } else if (path.startsWith(prefix + "/namespaces/")) {
      String[] parts = path.substring((prefix + "/namespaces/").length()).split("/");
      String metric = parts.length > 1 ? parts[1] : "";
      Double v = values.get(metric);
      String items =
          v == null
              ? ""
              : "{\"metricName\":\""
                  + metric
                  + "\",\"metricLabels\":{},\"timestamp\":\""
                  + Instant.now()
                  + "\",\"value\":\""
                  + Math.round(v * 1000)
                  + "m\"}";
      body =
          "{\"kind\":\"ExternalMetricValueList\",\"apiVersion\":\""
              + GROUP_VERSION
              + "\",\"metadata\":{},\"items\":["
              + items
              + "]}";
    } else {
      code = 404;
      body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":404}";
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** The machine's first non-loopback IPv4 address: the API server's endpoints cannot be 127.x. */
  static InetAddress hostAddress() throws IOException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nic.isLoopback() || !nic.isUp()) continue;
      for (InetAddress a : Collections.list(nic.getInetAddresses())) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
          return a;
        }
      }
    }
    throw new IllegalStateException("no non-loopback IPv4 address for the external metrics API");
  }

  /** A self-signed certificate made by the JDK's keytool. */
  private static SSLContext sslContext() throws Exception {
    Path dir = Files.createTempDirectory("external-metrics");
    Path ks = dir.resolve("server.p12");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                "CN=mro-external-metrics",
                "-storetype",
                "PKCS12",
                "-keystore",
                ks.toString(),
                "-storepass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + out);
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (var in = new FileInputStream(ks.toFile())) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, "changeit".toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }

  /** Names of metrics set, for messages. */
  public List<String> metrics() {
    return List.copyOf(values.keySet());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
