package io.modelrollout.operator.routing.istio;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.routing.RouteIntent;
import io.modelrollout.operator.routing.RouteObservation;
import io.modelrollout.operator.routing.RouteState;
import io.modelrollout.operator.routing.TrafficRouter;
import org.jboss.logging.Logger;

/**
 * Istio: a VirtualService {@code <name>} with weighted routes to the stable and canary Services,
 * {@code mirror} with {@code mirrorPercentage} for shadow traffic, and header matches for A/B.
 */
public class IstioRouter implements TrafficRouter {
  private static final Logger LOG = Logger.getLogger(IstioRouter.class);
  private final KubernetesClient client;

  public IstioRouter(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public RouteObservation observe(ModelDeployment md) {
    return RouteObservation.of(ops(md).withName(md.getMetadata().getName()).get(), md);
  }

  @Override
  public RouteState apply(ModelDeployment md, RouteIntent intent, RouteObservation observed) {
    if (!observed.writable()) {
      throw new IllegalStateException(observed.conflict("VirtualService", md));
    }
    RouteIntent safe = intent.safe();
    GenericKubernetesResource current = (GenericKubernetesResource) observed.object();
    GenericKubernetesResource desired = VirtualServices.desired(md, safe, current);
    GenericKubernetesResource now;
    if (current == null) {
      LOG.infof(
          "creating VirtualService %s/%s",
          md.getMetadata().getNamespace(), md.getMetadata().getName());
      now = ops(md).resource(desired).create();
    } else if (observed.ownership() == RouteObservation.Ownership.OURS
        && VirtualServices.sameManaged(current, desired)) {
      now = current;
    } else {
      now = ops(md).resource(desired).update();
    }
    return VirtualServices.read(now, intent);
  }

  @Override
  public RouteState read(RouteObservation observed, RouteIntent intent) {
    return VirtualServices.read((GenericKubernetesResource) observed.object(), intent);
  }

  @Override
  public void remove(ModelDeployment md) {
    RouteObservation o = observe(md);
    if (o.ownership() == RouteObservation.Ownership.OURS) {
      ops(md).resource((GenericKubernetesResource) o.object()).delete();
    }
  }

  private NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      ops(ModelDeployment md) {
    return client
        .genericKubernetesResources(VirtualServices.API_VERSION, VirtualServices.KIND)
        .inNamespace(md.getMetadata().getNamespace());
  }
}
