package io.modelrollout.operator.resources;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.modelrollout.operator.api.EdgeSpec;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.rollout.ModeIntent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The objects of an Edge ModelDeployment (pure builders): one DaemonSet {@code <name>-<revision>}
 * per live revision, running on the fleet's nodes whose label {@code
 * modelrollout.io/<name>-revision} names the revision (or, with maxSurge 1, whose label {@code
 * modelrollout.io/<name>-surge} does, while the node updates), and the node labels themselves.
 */
public final class EdgeObjects {
  private EdgeObjects() {}

  /** The node label that steers a node to a revision's DaemonSet. */
  public static String revisionLabel(ModelDeployment md) {
    return "modelrollout.io/" + md.getMetadata().getName() + "-revision";
  }

  /** The node label of a second revision that may run beside the first while the node updates. */
  public static String surgeLabel(ModelDeployment md) {
    return "modelrollout.io/" + md.getMetadata().getName() + "-surge";
  }

  /**
   * The field manager of this ModelDeployment's node labels: server-side apply records which labels
   * it set, and removes only those.
   */
  public static String fieldManager(ModelDeployment md) {
    return fieldManager(md.getMetadata().getNamespace(), md.getMetadata().getName());
  }

  public static String fieldManager(String namespace, String name) {
    return FIELD_MANAGER_PREFIX + namespace + "/" + name;
  }

  public static final String FIELD_MANAGER_PREFIX = "mro-edge/";

  /** The DaemonSet of the spec's revision. */
  public static DaemonSet daemonSet(ModelDeployment md, String revision) {
    EdgeSpec edge = md.getSpec().edge;
    var model = md.getSpec().model;
    Map<String, String> labels = labels(md, revision, model.version);
    PodTemplateSpec t = RevisionDeployments.podTemplate(md.getSpec().template, labels, model);
    Map<String, String> nodeSelector = new LinkedHashMap<>();
    if (t.getSpec().getNodeSelector() != null) {
      nodeSelector.putAll(t.getSpec().getNodeSelector());
    }
    nodeSelector.putAll(edge.nodeSelector);
    List<NodeSelectorTerm> terms = new ArrayList<>();
    terms.add(term(revisionLabel(md), revision));
    if (edge.maxSurgeOrDefault() > 0) {
      terms.add(term(surgeLabel(md), revision));
    }
    List<Toleration> tolerations = new ArrayList<>();
    if (t.getSpec().getTolerations() != null) {
      tolerations.addAll(t.getSpec().getTolerations());
    }
    if (edge.tolerations != null) {
      edge.tolerations.forEach(x -> tolerations.add(toleration(x)));
    }
    t =
        new PodTemplateSpecBuilder(t)
            .editSpec()
            .withNodeSelector(nodeSelector)
            .withTolerations(tolerations)
            .editOrNewAffinity()
            .withNewNodeAffinity()
            .withNewRequiredDuringSchedulingIgnoredDuringExecution()
            .withNodeSelectorTerms(terms)
            .endRequiredDuringSchedulingIgnoredDuringExecution()
            .endNodeAffinity()
            .endAffinity()
            .endSpec()
            .build();
    return new DaemonSetBuilder()
        .withNewMetadata()
        .withName(Labels.deploymentName(md, revision))
        .withNamespace(md.getMetadata().getNamespace())
        .withLabels(labels)
        .withOwnerReferences(RevisionDeployments.ownerReference(md))
        .endMetadata()
        .withNewSpec()
        .withRevisionHistoryLimit(2)
        .withNewSelector()
        .withMatchLabels(Labels.revisionSelector(md, revision))
        .endSelector()
        .withTemplate(t)
        .endSpec()
        .build();
  }

  /**
   * What this ModelDeployment applies to a node: its labels only (server-side apply with its own
   * field manager removes the ones it no longer sends, and never anyone else's).
   */
  public static Node nodeLabels(ModelDeployment md, String node, ModeIntent.NodeLabels labels) {
    Map<String, String> l = new LinkedHashMap<>();
    if (labels.revision() != null) {
      l.put(revisionLabel(md), labels.revision());
    }
    if (labels.surge() != null) {
      l.put(surgeLabel(md), labels.surge());
    }
    return new NodeBuilder()
        .withNewMetadata()
        .withName(node)
        .withLabels(l.isEmpty() ? null : l)
        .endMetadata()
        .build();
  }

  /** Labels of an Edge object of a revision. */
  public static Map<String, String> labels(ModelDeployment md, String revision, String version) {
    Map<String, String> l = Labels.revision(md, revision, version);
    l.put(Labels.MODE, "Edge");
    return l;
  }

  private static NodeSelectorTerm term(String key, String value) {
    return new NodeSelectorTermBuilder()
        .withMatchExpressions(
            new NodeSelectorRequirementBuilder()
                .withKey(key)
                .withOperator("In")
                .withValues(value)
                .build())
        .build();
  }

  private static Toleration toleration(EdgeSpec.EdgeToleration x) {
    return new TolerationBuilder()
        .withKey(x.key)
        .withOperator(x.operator == null ? null : x.operator.name())
        .withValue(x.value)
        .withEffect(x.effect == null ? null : x.effect.name())
        .withTolerationSeconds(x.tolerationSeconds)
        .build();
  }
}
