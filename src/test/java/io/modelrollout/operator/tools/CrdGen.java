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
                    return new RootDescriptions()
                        .process(new OrderColumns().process(crd, version), version);
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
