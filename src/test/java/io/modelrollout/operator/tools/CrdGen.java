package io.modelrollout.operator.tools;

import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.RolloutPolicy;
import java.io.File;
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
            .withPostProcessor(new OrderColumns())
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
