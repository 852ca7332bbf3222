package io.modelrollout.operator.controller;

import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.modelrollout.operator.api.TrafficProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which data planes the cluster serves, from API discovery, cached for a minute. Only an answer is
 * cached: a discovery error (other than "not found") is not "the API is not installed", so it fails
 * the reconcile, which is retried.
 */
public class ProviderDiscovery {
  private static final Duration TTL = Duration.ofSeconds(60);
  private static final Duration TTL_WHILE_MISSING = Duration.ofSeconds(10);
  private final Clock clock;
  private volatile Set<TrafficProvider> cached;
  private volatile Instant cachedAt = Instant.EPOCH;

  public ProviderDiscovery(Clock clock) {
    this.clock = clock;
  }

  public Set<TrafficProvider> installed(KubernetesClient client) {
    Instant now = clock.instant();
    Duration ttl = cached != null && cached.size() < 3 ? TTL_WHILE_MISSING : TTL;
    if (cached == null || now.isAfter(cachedAt.plus(ttl))) {
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
    APIResourceList list;
    try {
      list = client.getApiResources(groupVersion);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return false;
      }
      throw new ApplyException("discover whether the cluster serves " + groupVersion, e);
    }
    return list != null && list.getResources().stream().anyMatch(r -> plural.equals(r.getName()));
  }
}
