package io.modelrollout.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.modelrollout.operator.api.TrafficProvider;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Discovery against a server whose answers the test sets: a 404 means not installed (and is
 * cached), an error is no answer (never cached, never "not installed").
 */
class ProviderDiscoveryTest {
  HttpServer server;
  KubernetesClient client;
  final AtomicInteger gatewayCode = new AtomicInteger(200);
  final AtomicInteger calls = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/apis/gateway.networking.k8s.io/v1",
        x -> {
          calls.incrementAndGet();
          int code = gatewayCode.get();
          byte[] body =
              (code == 200
                      ? "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":"
                          + "\"gateway.networking.k8s.io/v1\",\"resources\":[{\"name\":\"httproutes\","
                          + "\"namespaced\":true,\"kind\":\"HTTPRoute\",\"verbs\":[\"get\"]}]}"
                      : "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":"
                          + code
                          + ",\"message\":\"etcdserver: request timed out\"}")
                  .getBytes(StandardCharsets.UTF_8);
          x.getResponseHeaders().add("Content-Type", "application/json");
          x.sendResponseHeaders(code, body.length);
          x.getResponseBody().write(body);
          x.close();
        });
    server.createContext(
        "/apis/networking.istio.io/v1",
        x -> {
          byte[] body = "{\"kind\":\"Status\",\"code\":404}".getBytes(StandardCharsets.UTF_8);
          x.sendResponseHeaders(404, body.length);
          x.getResponseBody().write(body);
          x.close();
        });
    server.start();
    Config config =
        new ConfigBuilder()
            .withMasterUrl("http://127.0.0.1:" + server.getAddress().getPort())
            .withRequestRetryBackoffLimit(0)
            .build();
    client = new KubernetesClientBuilder().withConfig(config).build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.stop(0);
  }

  @Test
  void anErrorIsNotNotInstalledAndIsNotCached() {
    ProviderDiscovery discovery = new ProviderDiscovery(Clock.systemUTC());
    gatewayCode.set(503);
    assertThatThrownBy(() -> discovery.installed(client))
        .isInstanceOf(ApplyException.class)
        .hasMessageContaining("discover whether the cluster serves gateway.networking.k8s.io/v1");
    gatewayCode.set(200);
    assertThat(discovery.installed(client))
        .containsExactlyInAnyOrder(TrafficProvider.ReplicaRatio, TrafficProvider.GatewayAPI);
    int before = calls.get();
    discovery.installed(client);
    assertThat(calls.get()).as("an answer is cached").isEqualTo(before);
  }
}
