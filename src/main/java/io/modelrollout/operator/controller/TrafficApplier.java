package io.modelrollout.operator.controller;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.api.TrafficProvider;
import io.modelrollout.operator.api.Weights;
import io.modelrollout.operator.resources.Labels;
import io.modelrollout.operator.resources.ModelServices;
import io.modelrollout.operator.rollout.RolloutDecision;
import io.modelrollout.operator.rollout.RolloutSnapshot;
import io.modelrollout.operator.routing.RouteIntent;
import io.modelrollout.operator.routing.RouteState;
import io.modelrollout.operator.routing.TrafficRouters;
import java.util.Map;
import org.jboss.logging.Logger;

/** Puts a decision's weights on the data plane the spec names and records what is in force. */
public class TrafficApplier {
  private static final Logger LOG = Logger.getLogger(TrafficApplier.class);

  public static TrafficProvider provider(ModelDeployment md) {
    return md.getSpec().traffic == null
        ? TrafficProvider.ReplicaRatio
        : md.getSpec().traffic.providerOrDefault();
  }

  /** The entry Service's selector: the replica ratio without a router, stable behind a router. */
  public static Map<String, String> entrySelector(ModelDeployment md, RolloutDecision d) {
    return provider(md) == TrafficProvider.ReplicaRatio
        ? ModelServices.replicaRatioSelector(
            md, d.stableRevision(), d.canaryRevision(), d.canaryWeight())
        : Labels.revisionSelector(md, d.stableRevision());
  }

  /** Applies the route and writes the weights in force into {@code status}. */
  public void apply(
      ModelDeployment md,
      RolloutSnapshot s,
      RolloutDecision d,
      ModelDeploymentStatus status,
      Context<ModelDeployment> ctx) {
    TrafficProvider provider = provider(md);
    int port =
        md.getSpec().service != null && md.getSpec().service.port != null
            ? md.getSpec().service.port
            : 80;
    RouteIntent intent =
        new RouteIntent(
            Labels.stableService(md),
            Labels.canaryService(md),
            port,
            d.canaryWeight(),
            d.mirrorPercent(),
            d.canaryMatches(),
            s.readyOf(d.stableRevision()),
            s.readyOf(d.canaryRevision()));
    RouteState state = TrafficRouters.forProvider(provider, ctx.getClient()).apply(md, intent);
    Weights w = status.weights;
    String previous =
        md.getStatus() == null || md.getStatus().weights == null
            ? null
            : md.getStatus().weights.provider;
    if (previous != null && !previous.equals(provider.name())) {
      removeOld(md, previous, ctx);
    }
    w.provider = provider.name();
    w.verified = state.verified();
    w.actualCanary = state.canaryWeight();
  }

  private static void removeOld(ModelDeployment md, String previous, Context<ModelDeployment> ctx) {
    try {
      TrafficRouters.forProvider(TrafficProvider.valueOf(previous), ctx.getClient()).remove(md);
      LOG.infof(
          "%s/%s: removed the %s route after a provider change",
          md.getMetadata().getNamespace(), md.getMetadata().getName(), previous);
    } catch (RuntimeException e) {
      LOG.warnf(
          "%s/%s: could not remove the %s route: %s",
          md.getMetadata().getNamespace(), md.getMetadata().getName(), previous, e.getMessage());
    }
  }
}
