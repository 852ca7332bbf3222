package io.modelrollout.operator.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.modelrollout.operator.api.DeploymentMode;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.resources.EdgeObjects;
import io.modelrollout.operator.resources.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The informers of the Batch and Edge modes and of autoscaling: CronJobs, Jobs (the validation Jobs
 * and the CronJob's runs, by label), kept job templates (ControllerRevisions), DaemonSets, the pods
 * of both modes (by label), HorizontalPodAutoscalers, and, when the operator may, Nodes (all of
 * them, cluster-wide: a node event reconciles the Edge ModelDeployments whose fleet it is in or
 * whose label it carries).
 */
final class ModeEventSources {
  private ModeEventSources() {}

  static List<EventSource<?, ModelDeployment>> create(
      EventSourceContext<ModelDeployment> context, boolean edge) {
    String managed = Labels.MANAGED_BY + "=" + Labels.OPERATOR;
    List<EventSource<?, ModelDeployment>> out = new ArrayList<>();
    out.add(owned(CronJob.class, managed, context));
    out.add(owned(ControllerRevision.class, managed, context));
    out.add(owned(DaemonSet.class, managed, context));
    out.add(owned(HorizontalPodAutoscaler.class, managed, context));
    out.add(byNameLabel(Job.class, managed, context));
    out.add(byNameLabel(Pod.class, managed + "," + Labels.MODE, context));
    if (edge) {
      var nodes =
          InformerEventSourceConfiguration.from(Node.class, ModelDeployment.class)
              .withNamespaces(Set.of(Constants.WATCH_ALL_NAMESPACES))
              .withSecondaryToPrimaryMapper(node -> edgeUsers(node, context))
              .build();
      out.add(new InformerEventSource<>(nodes, context));
    }
    return out;
  }

  private static <R extends HasMetadata> EventSource<R, ModelDeployment> owned(
      Class<R> type, String selector, EventSourceContext<ModelDeployment> context) {
    var config =
        InformerEventSourceConfiguration.from(type, ModelDeployment.class)
            .withLabelSelector(selector)
            .withNamespacesInheritedFromController()
            .build();
    return new InformerEventSource<>(config, context);
  }

  /** Objects another controller creates (a CronJob's Jobs, pods): mapped by the name label. */
  private static <R extends HasMetadata> EventSource<R, ModelDeployment> byNameLabel(
      Class<R> type, String selector, EventSourceContext<ModelDeployment> context) {
    var config =
        InformerEventSourceConfiguration.from(type, ModelDeployment.class)
            .withLabelSelector(selector)
            .withNamespacesInheritedFromController()
            .withSecondaryToPrimaryMapper(
                r -> {
                  Map<String, String> l = r.getMetadata().getLabels();
                  String name = l == null ? null : l.get(Labels.NAME);
                  return name == null
                      ? Set.of()
                      : Set.of(new ResourceID(name, r.getMetadata().getNamespace()));
                })
            .build();
    return new InformerEventSource<>(config, context);
  }

  private static Set<ResourceID> edgeUsers(Node node, EventSourceContext<ModelDeployment> ctx) {
    Map<String, String> labels =
        node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    return ctx.getPrimaryCache()
        .list(
            md ->
                md.getSpec() != null
                    && md.getSpec().modeOrDefault() == DeploymentMode.Edge
                    && md.getSpec().edge != null)
        .filter(
            md ->
                selects(md.getSpec().edge.nodeSelector, labels)
                    || labels.containsKey(EdgeObjects.revisionLabel(md))
                    || labels.containsKey(EdgeObjects.surgeLabel(md)))
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  static boolean selects(Map<String, String> selector, Map<String, String> labels) {
    return selector != null
        && !selector.isEmpty()
        && selector.entrySet().stream()
            .allMatch(e -> java.util.Objects.equals(labels.get(e.getKey()), e.getValue()));
  }

  /** Everything an informer caches that satisfies {@code p}, in the ModelDeployment's namespace. */
  @SuppressWarnings("unchecked")
  static <R extends HasMetadata> Stream<R> cached(
      Class<R> type, String namespace, Predicate<R> p, Context<ModelDeployment> ctx) {
    var source =
        (InformerEventSource<R, ModelDeployment>)
            ctx.eventSourceRetriever().getEventSourceFor(type);
    return namespace == null ? source.list(p) : source.list(namespace, p);
  }

  /** The objects of one ModelDeployment in an informer mapped by the name label. */
  static <R extends HasMetadata> List<R> ofModel(
      Class<R> type, ModelDeployment md, Context<ModelDeployment> ctx) {
    String name = md.getMetadata().getName();
    return cached(
            type,
            md.getMetadata().getNamespace(),
            r ->
                r.getMetadata().getLabels() != null
                    && name.equals(r.getMetadata().getLabels().get(Labels.NAME)),
            ctx)
        .toList();
  }
}
