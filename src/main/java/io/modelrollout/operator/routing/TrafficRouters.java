package io.modelrollout.operator.routing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelrollout.operator.api.TrafficProvider;
import io.modelrollout.operator.routing.gatewayapi.GatewayApiRouter;
import io.modelrollout.operator.routing.istio.IstioRouter;
import io.modelrollout.operator.routing.replicaratio.ReplicaRatioRouter;

/** The router of each data plane; every provider has one. */
public final class TrafficRouters {
  private TrafficRouters() {}

  public static TrafficRouter forProvider(TrafficProvider provider, KubernetesClient client) {
    return switch (provider) {
      case ReplicaRatio -> new ReplicaRatioRouter();
      case GatewayAPI -> new GatewayApiRouter(client);
      case Istio -> new IstioRouter(client);
    };
  }
}
