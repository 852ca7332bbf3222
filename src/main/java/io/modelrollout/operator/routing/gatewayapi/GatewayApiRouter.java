package io.modelrollout.operator.routing.gatewayapi;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.routing.RouteIntent;
import io.modelrollout.operator.routing.RouteObservation;
import io.modelrollout.operator.routing.RouteState;
import io.modelrollout.operator.routing.TrafficRouter;
import org.jboss.logging.Logger;

/**
 * Gateway API: an HTTPRoute {@code <name>} with weighted backendRefs to the stable and canary
 * Services, a RequestMirror filter for shadow traffic and header matches for A/B. Works with any
 * implementation (Envoy Gateway, Istio, Cilium, Kong, NGINX Gateway Fabric, Linkerd).
 */
public class GatewayApiRouter implements TrafficRouter {
  private static final Logger LOG = Logger.getLogger(GatewayApiRouter.class);
  private final KubernetesClient client;

  public GatewayApiRouter(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public RouteObservation observe(ModelDeployment md) {
    return RouteObservation.of(get(md), md);
  }

  @Override
  public RouteState apply(ModelDeployment md, RouteIntent intent, RouteObservation observed) {
    if (!observed.writable()) {
      throw new IllegalStateException(observed.conflict("HTTPRoute", md));
    }
    RouteIntent safe = intent.safe();
    HTTPRoute current = (HTTPRoute) observed.object();
    HTTPRoute desired = HttpRoutes.desired(md, safe, current);
    HTTPRoute now;
    if (current == null) {
      LOG.infof(
          "creating HTTPRoute %s/%s", md.getMetadata().getNamespace(), md.getMetadata().getName());
      now = client.resource(desired).create();
    } else if (observed.ownership() == RouteObservation.Ownership.OURS
        && HttpRoutes.sameManaged(current, desired)) {
      now = current;
    } else {
      LOG.debugf(
          "updating HTTPRoute %s/%s: canary %d%%, mirror %d%%",
          md.getMetadata().getNamespace(),
          md.getMetadata().getName(),
          safe.canaryWeight(),
          safe.mirrorPercent());
      now =
          client
              .resource(desired)
              .update(); // carries the resourceVersion read: a conflict retries the reconcile
    }
    return HttpRoutes.read(now, intent);
  }

  @Override
  public RouteState read(RouteObservation observed, RouteIntent intent) {
    return HttpRoutes.read((HTTPRoute) observed.object(), intent);
  }

  @Override
  public void remove(ModelDeployment md) {
    RouteObservation o = observe(md);
    if (o.ownership() == RouteObservation.Ownership.OURS) {
      client.resource((HTTPRoute) o.object()).delete();
    }
  }

  private HTTPRoute get(ModelDeployment md) {
    return client
        .resources(HTTPRoute.class)
        .inNamespace(md.getMetadata().getNamespace())
        .withName(md.getMetadata().getName())
        .get();
  }
}
