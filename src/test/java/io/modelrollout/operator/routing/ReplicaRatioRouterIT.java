package io.modelrollout.operator.routing;

import io.modelrollout.operator.api.TrafficProvider;

/** The router contract without a mesh: no route object, the split follows ready pods. */
class ReplicaRatioRouterIT extends TrafficRouterContract {
  @Override
  protected TrafficProvider provider() {
    return TrafficProvider.ReplicaRatio;
  }

  @Override
  protected boolean routes() {
    return false;
  }

  @Override
  protected void addForeignAnnotationAndRule() {}

  @Override
  protected void createForeignRoute(boolean adoptable) {}

  @Override
  protected boolean foreignAnnotationAndRulePresent() {
    return true;
  }

  @Override
  protected int primaryBackends() {
    return 1;
  }

  @Override
  protected boolean canaryHeaderRulePresent() {
    return false;
  }

  @Override
  protected boolean routeExists() {
    return false;
  }
}
