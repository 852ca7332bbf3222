package io.modelrollout.operator.resources;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.ModelSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds the Deployment of one revision from the spec: labels, selector, model env. */
public final class RevisionDeployments {
  static final Set<String> MODEL_ENV =
      Set.of("MODEL_NAME", "MODEL_VERSION", "MODEL_URI", "MODEL_FRAMEWORK");

  private RevisionDeployments() {}

  /** The desired Deployment of the spec's own revision, with {@code replicas} pods. */
  public static Deployment desired(ModelDeployment md, String revision, int replicas) {
    ModelSpec model = md.getSpec().model;
    Map<String, String> labels = Labels.revision(md, revision, model.version);
    PodTemplateSpec template = podTemplate(md.getSpec().template, labels, model);
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(Labels.deploymentName(md, revision))
        .withNamespace(md.getMetadata().getNamespace())
        .withLabels(labels)
        .withOwnerReferences(ownerReference(md))
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withRevisionHistoryLimit(2)
        .withNewSelector()
        .withMatchLabels(Labels.revisionSelector(md, revision))
        .endSelector()
        .withTemplate(template)
        .endSpec()
        .build();
  }

  /** The controller ownerReference that ties an object to its ModelDeployment. */
  public static OwnerReference ownerReference(ModelDeployment md) {
    return new OwnerReferenceBuilder()
        .withApiVersion(md.getApiVersion())
        .withKind(md.getKind())
        .withName(md.getMetadata().getName())
        .withUid(md.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  static PodTemplateSpec podTemplate(
      PodTemplateSpec userTemplate, Map<String, String> labels, ModelSpec model) {
    PodTemplateSpec t = new PodTemplateSpecBuilder(userTemplate).build();
    Map<String, String> podLabels = new LinkedHashMap<>();
    if (t.getMetadata() != null && t.getMetadata().getLabels() != null) {
      podLabels.putAll(t.getMetadata().getLabels());
    }
    podLabels.putAll(labels);
    t =
        new PodTemplateSpecBuilder(t)
            .editOrNewMetadata()
            .withLabels(podLabels)
            .endMetadata()
            .build();
    List<Container> containers = new ArrayList<>();
    for (Container c : t.getSpec().getContainers()) {
      containers.add(withModelEnv(c, model));
    }
    t.getSpec().setContainers(containers);
    return t;
  }

  private static Container withModelEnv(Container c, ModelSpec model) {
    List<EnvVar> env = new ArrayList<>();
    if (c.getEnv() != null) {
      c.getEnv().stream().filter(e -> !MODEL_ENV.contains(e.getName())).forEach(env::add);
    }
    env.add(env("MODEL_NAME", model.name));
    env.add(env("MODEL_VERSION", model.version));
    if (model.uri != null) {
      env.add(env("MODEL_URI", model.uri));
    }
    if (model.framework != null) {
      env.add(env("MODEL_FRAMEWORK", model.framework));
    }
    Container copy = new io.fabric8.kubernetes.api.model.ContainerBuilder(c).build();
    copy.setEnv(env);
    return copy;
  }

  private static EnvVar env(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }
}
