package io.modelrollout.operator.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelrollout.operator.api.TrafficProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/** Which data planes the cluster serves, from API discovery, cached for a minute. */
public class ProviderDiscovery {
  private static final Duration TTL = Duration.ofSeconds(60);
  private final Clock clock;
  private volatile Set<TrafficProvider> cached;
  private volatile Instant cachedAt = Instant.EPOCH;

  public ProviderDiscovery(Clock clock) {
    this.clock = clock;
  }

  public Set<TrafficProvider> installed(KubernetesClient client) {
    Instant now = clock.instant();
    if (cached == null || now.isAfter(cachedAt.plus(TTL))) {
      Set<TrafficProvider> s = EnumSet.of(TrafficProvider.ReplicaRatio);
      if (serves(client, "gateway.networking.k8s.io/v1", "httproutes")) {
        s.add(TrafficProvider.GatewayAPI);
      }
      if (serves(client, "networking.istio.io/v1", "virtualservices")) {
        s.add(TrafficProvider.Istio);
      }
      cached = s;
      cachedAt = now;
    }
    return cached;
  }

  private static boolean serves(KubernetesClient client, String groupVersion, String plural) {
    try {
      var list = client.getApiResources(groupVersion);
      return list != null && list.getResources().stream().anyMatch(r -> plural.equals(r.getName()));
    } catch (RuntimeException e) {
      return false;
    }
  }
}
