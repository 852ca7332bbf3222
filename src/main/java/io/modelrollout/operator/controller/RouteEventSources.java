package io.modelrollout.operator.controller;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.TrafficProvider;
import io.modelrollout.operator.resources.Labels;
import io.modelrollout.operator.routing.istio.VirtualServices;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Watches the routes the operator owns (label {@code app.kubernetes.io/managed-by}), so a foreign
 * edit of a weight is corrected at once, not at the next resync. A route API is watched only when
 * the cluster serves it: at start, or from the first reconcile after its CRD was installed.
 */
final class RouteEventSources {
  private static final Logger LOG = Logger.getLogger(RouteEventSources.class);
  static final String HTTP_ROUTES = "httproutes";
  static final String VIRTUAL_SERVICES = "virtualservices";
  static final GroupVersionKind VIRTUAL_SERVICE =
      new GroupVersionKind("networking.istio.io", "v1", VirtualServices.KIND);

  private RouteEventSources() {}

  /** Registers the watch of {@code provider}'s routes if it is not registered yet. */
  static synchronized void ensure(TrafficProvider provider, Context<ModelDeployment> ctx) {
    String name = name(provider);
    if (name == null) {
      return;
    }
    var retriever = ctx.eventSourceRetriever();
    if (registered(retriever, provider)) {
      return;
    }
    LOG.infof("watching %s routes", provider);
    retriever.dynamicallyRegisterEventSource(
        create(provider, retriever.eventSourceContextForDynamicRegistration()));
  }

  /** The cached route of the ModelDeployment, when its provider's routes are watched. */
  static Optional<HasMetadata> cached(
      TrafficProvider provider, ModelDeployment md, Context<ModelDeployment> ctx) {
    if (name(provider) == null || !registered(ctx.eventSourceRetriever(), provider)) {
      return Optional.empty();
    }
    Class<? extends HasMetadata> type =
        provider == TrafficProvider.GatewayAPI ? HTTPRoute.class : GenericKubernetesResource.class;
    Set<? extends HasMetadata> all = ctx.getSecondaryResources(type);
    return all.stream()
        .filter(r -> r.getMetadata().getName().equals(md.getMetadata().getName()))
        .map(HasMetadata.class::cast)
        .findFirst();
  }

  private static boolean registered(
      io.javaoperatorsdk.operator.processing.event.EventSourceRetriever<ModelDeployment> retriever,
      TrafficProvider provider) {
    try {
      return provider == TrafficProvider.GatewayAPI
          ? !retriever.getEventSourcesFor(HTTPRoute.class).isEmpty()
          : !retriever.getEventSourcesFor(GenericKubernetesResource.class).isEmpty();
    } catch (RuntimeException e) {
      return false;
    }
  }

  static EventSource<?, ModelDeployment> create(
      TrafficProvider provider, EventSourceContext<ModelDeployment> context) {
    String managed = Labels.MANAGED_BY + "=" + Labels.OPERATOR;
    if (provider == TrafficProvider.GatewayAPI) {
      var config =
          InformerEventSourceConfiguration.from(HTTPRoute.class, ModelDeployment.class)
              .withName(HTTP_ROUTES)
              .withLabelSelector(managed)
              .withNamespacesInheritedFromController()
              .build();
      return new InformerEventSource<>(config, context);
    }
    var config =
        InformerEventSourceConfiguration.from(VIRTUAL_SERVICE, ModelDeployment.class)
            .withName(VIRTUAL_SERVICES)
            .withLabelSelector(managed)
            .withNamespacesInheritedFromController()
            .build();
    return new InformerEventSource<>(config, context);
  }

  private static String name(TrafficProvider provider) {
    return switch (provider) {
      case GatewayAPI -> HTTP_ROUTES;
      case Istio -> VIRTUAL_SERVICES;
      case ReplicaRatio -> null;
    };
  }
}
