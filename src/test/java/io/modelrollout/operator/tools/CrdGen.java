package io.modelrollout.operator.tools;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.RolloutPolicy;
import java.io.File;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Generates the CRDs from the API classes (run by the build, see pom.xml); the committed copies
 * under crds/ must equal its output.
 */
public final class CrdGen {
  /** Printer columns in the order kubectl shows them; the generator sorts them by path. */
  private static final Map<String, List<String>> COLUMN_ORDER =
      Map.of(
          "modeldeployments.modelrollout.io",
          List.of("Model", "Stable", "Canary", "Weight", "Phase", "Age"),
          "rolloutpolicies.modelrollout.io",
          List.of("Strategy", "Age"));

  private CrdGen() {}

  public static void main(String[] args) {
    File out = new File(args.length > 0 ? args[0] : "target/crds");
    out.mkdirs();
    int n =
        new CRDGenerator()
            .inOutputDir(out)
            .forCRDVersions("v1")
            .withPostProcessor(
                new CRDPostProcessor() { // the generator takes one post-processor
                  @Override
                  public HasMetadata process(HasMetadata crd, String version) {
                    return new HpaMetricDescriptions()
                        .process(
                            new RootDescriptions()
                                .process(new OrderColumns().process(crd, version), version),
                            version);
                  }
                })
            .customResourceClasses(ModelDeployment.class, RolloutPolicy.class)
            .generate();
    System.out.println("generated " + n + " CRDs into " + out);
    // Test-only: a structural HTTPRoute CRD from the Fabric8 Gateway API model, for the router
    // tests (no upstream CRD file is copied into the repository).
    File testOut = new File(out.getParentFile(), "test-crds");
    testOut.mkdirs();
    new CRDGenerator()
        .inOutputDir(testOut)
        .forCRDVersions("v1")
        .withPostProcessor(
            new CRDPostProcessor() {
              @Override
              public HasMetadata process(HasMetadata crd, String version) {
                // *.k8s.io groups need this annotation; a test CRD is not an approved API
                crd.getMetadata()
                    .setAnnotations(
                        Map.of(
                            "api-approved.kubernetes.io",
                            "unapproved, test-only CRD generated from the Fabric8 model"));
                return crd;
              }
            })
        .customResourceClasses(io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute.class)
        .generate();
  }

  /**
   * Describes the root spec and status from the classes' {@code @JsonClassDescription} (the
   * generator reads descriptions from properties only, and spec and status are inherited), so that
   * {@code kubectl explain} explains them too.
   */
  private static final class RootDescriptions implements CRDPostProcessor {
    private static final Map<String, Class<?>> RESOURCES =
        Map.of(
            "modeldeployments.modelrollout.io", ModelDeployment.class,
            "rolloutpolicies.modelrollout.io", RolloutPolicy.class);

    @Override
    public HasMetadata process(HasMetadata crd, String version) {
      CustomResourceDefinition def = (CustomResourceDefinition) crd;
      Class<?> type = RESOURCES.get(def.getMetadata().getName());
      if (type == null) {
        return def;
      }
      Type[] args = ((ParameterizedType) type.getGenericSuperclass()).getActualTypeArguments();
      for (var v : def.getSpec().getVersions()) {
        var props = v.getSchema().getOpenAPIV3Schema().getProperties();
        describe(props.get("spec"), (Class<?>) args[0]);
        describe(props.get("status"), (Class<?>) args[1]);
      }
      return def;
    }

    private static void describe(JSONSchemaProps prop, Class<?> type) {
      if (prop == null || prop.getDescription() != null) {
        return;
      }
      JsonClassDescription d = type.getAnnotation(JsonClassDescription.class);
      if (d != null) {
        prop.setDescription(d.value());
      } else if (type == Void.class) {
        prop.setDescription("Not used: this resource has no status.");
      }
    }
  }

  /**
   * Describes the HorizontalPodAutoscaler v2 metric list under spec.autoscaling.metrics, which the
   * generator takes from the Fabric8 model without descriptions. Keys are paths inside one list
   * item; a key starting with {@code *.} applies under each metric source (pods, object, external,
   * resource, containerResource) that has that subtree. A field without a description here fails
   * the generation, so a new field of a later model is noticed.
   */
  static final class HpaMetricDescriptions implements CRDPostProcessor {
    static final Map<String, String> DESCRIPTIONS =
        Map.ofEntries(
            Map.entry(
                "type",
                "The metric's source: Resource, ContainerResource, Pods, Object or External; the"
                    + " field of that name (resource, containerResource, pods, object, external)"
                    + " is set and no other."),
            Map.entry(
                "resource",
                "A resource (cpu or memory) of the pods, as the metrics server reports it, taken"
                    + " over all pods of the stable revision."),
            Map.entry("resource.name", "The resource: cpu or memory."),
            Map.entry(
                "containerResource",
                "Like resource, but counting one container of each pod only (sidecars left"
                    + " out)."),
            Map.entry("containerResource.name", "The resource: cpu or memory."),
            Map.entry("containerResource.container", "The container whose usage counts."),
            Map.entry(
                "pods",
                "A metric every pod reports (from the custom metrics API, e.g. requests per"
                    + " second), averaged over the pods before it is compared with the target."),
            Map.entry(
                "object",
                "A metric of one other object in the namespace (from the custom metrics API, e.g."
                    + " an Ingress's request rate)."),
            Map.entry("object.describedObject", "The object the metric is about."),
            Map.entry(
                "object.describedObject.apiVersion",
                "The object's API group and version, e.g. networking.k8s.io/v1."),
            Map.entry("object.describedObject.kind", "The object's kind, e.g. Ingress."),
            Map.entry(
                "object.describedObject.name",
                "The object's name, in the ModelDeployment's namespace."),
            Map.entry(
                "external",
                "A metric from outside the cluster (from the external metrics API, e.g. the length"
                    + " of a queue), about no Kubernetes object."),
            Map.entry(
                "*.metric", "Which metric: its name and, optionally, labels that narrow it down."),
            Map.entry("*.metric.name", "The metric's name."),
            Map.entry(
                "*.metric.selector",
                "Labels the metric's series must carry, as a label selector; without it the name"
                    + " alone chooses the series."),
            Map.entry(
                "*.metric.selector.matchLabels",
                "Labels that must have exactly these values, as key: value pairs."),
            Map.entry(
                "*.metric.selector.matchExpressions",
                "Label requirements, all of which must hold."),
            Map.entry(
                "*.metric.selector.matchExpressions[].key", "The label the requirement is on."),
            Map.entry(
                "*.metric.selector.matchExpressions[].operator",
                "In, NotIn, Exists or DoesNotExist."),
            Map.entry(
                "*.metric.selector.matchExpressions[].values",
                "The values for In and NotIn; empty for Exists and DoesNotExist."),
            Map.entry(
                "*.target",
                "The value the autoscaler holds the metric at by adding or removing pods."),
            Map.entry(
                "*.target.type",
                "How the target is given: Utilization (averageUtilization), AverageValue"
                    + " (averageValue) or Value (value)."),
            Map.entry(
                "*.target.averageUtilization",
                "For Utilization: percent of the pods' resource requests, averaged over the pods"
                    + " (resource and containerResource metrics)."),
            Map.entry(
                "*.target.averageValue",
                "For AverageValue: the metric's value divided by the number of pods, as a quantity"
                    + " (e.g. 100 or 500m)."),
            Map.entry(
                "*.target.value",
                "For Value: the metric's value as a whole, as a quantity (object and external"
                    + " metrics)."));

    @Override
    public HasMetadata process(HasMetadata crd, String version) {
      CustomResourceDefinition def = (CustomResourceDefinition) crd;
      for (var v : def.getSpec().getVersions()) {
        JSONSchemaProps spec = v.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
        JSONSchemaProps autoscaling = spec == null ? null : spec.getProperties().get("autoscaling");
        JSONSchemaProps metrics =
            autoscaling == null ? null : autoscaling.getProperties().get("metrics");
        if (metrics == null || metrics.getItems() == null) {
          continue;
        }
        List<String> missing = new java.util.ArrayList<>();
        describe(metrics.getItems().getSchema(), "", missing);
        if (!missing.isEmpty()) {
          throw new IllegalStateException(
              "CrdGen.HpaMetricDescriptions has no description for spec.autoscaling.metrics[]."
                  + String.join(", ", missing));
        }
      }
      return def;
    }

    private static void describe(JSONSchemaProps node, String path, List<String> missing) {
      if (node == null) {
        return;
      }
      if (node.getProperties() != null) {
        for (var e : node.getProperties().entrySet()) {
          String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
          JSONSchemaProps child = e.getValue();
          String d = DESCRIPTIONS.get(p);
          int dot = p.indexOf('.');
          if (d == null && dot > 0) {
            d = DESCRIPTIONS.get("*" + p.substring(dot));
          }
          if (d != null) {
            child.setDescription(d);
          } else if (child.getDescription() == null) {
            missing.add(p);
          }
          describe(child, p, missing);
        }
      }
      if (node.getItems() != null) {
        describe(node.getItems().getSchema(), path + "[]", missing);
      }
    }
  }

  private static final class OrderColumns implements CRDPostProcessor {
    @Override
    public HasMetadata process(HasMetadata crd, String version) {
      CustomResourceDefinition def = (CustomResourceDefinition) crd;
      List<String> order = COLUMN_ORDER.get(def.getMetadata().getName());
      if (order != null) {
        def.getSpec()
            .getVersions()
            .forEach(
                v ->
                    v.getAdditionalPrinterColumns()
                        .sort(
                            Comparator.comparingInt(
                                (CustomResourceColumnDefinition c) -> order.indexOf(c.getName()))));
      }
      return def;
    }
  }
}
