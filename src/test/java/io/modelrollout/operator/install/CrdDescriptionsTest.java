package io.modelrollout.operator.install;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelrollout.operator.testing.TestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code kubectl explain} explains every field: each property of both CRD schemas has a
 * description, except inside the embedded pod template (spec.template), Kubernetes' own type. The
 * HorizontalPodAutoscaler metric list (spec.autoscaling.metrics) is described by the generator
 * (CrdGen.HpaMetricDescriptions).
 */
class CrdDescriptionsTest {
  static final java.util.Set<String> EMBEDDED = java.util.Set.of(".spec.template");

  @ParameterizedTest
  @ValueSource(
      strings = {
        "modeldeployments.modelrollout.io-v1.yml",
        "rolloutpolicies.modelrollout.io-v1.yml"
      })
  void everyFieldHasADescription(String file) throws IOException {
    Map<String, Object> crd =
        Chart.yaml(Files.readString(TestCluster.projectDir().resolve("crds").resolve(file)));
    List<Map<String, Object>> versions = Chart.at(crd, "spec", "versions");
    for (Map<String, Object> v : versions) {
      Map<String, Object> schema = Chart.at(v, "schema", "openAPIV3Schema");
      List<String> fields = new ArrayList<>();
      List<String> missing = new ArrayList<>();
      walk(schema, "", fields, missing);
      assertThat(fields).as("walked the schema").hasSizeGreaterThan(40);
      if (file.startsWith("modeldeployments")) {
        assertThat(fields)
            .as("the HorizontalPodAutoscaler metric list is walked too")
            .contains(
                ".spec.autoscaling.metrics[].resource.target.averageUtilization",
                ".spec.autoscaling.metrics[].external.metric.selector.matchExpressions[].operator");
      }
      assertThat(missing)
          .as("fields without a description (add @JsonPropertyDescription, then make crds)")
          .isEmpty();
    }
  }

  @SuppressWarnings("unchecked")
  private static void walk(
      Map<String, Object> node, String path, List<String> fields, List<String> missing) {
    Map<String, Object> props = (Map<String, Object>) node.get("properties");
    if (props != null) {
      for (var e : props.entrySet()) {
        String p = path + "." + e.getKey();
        Map<String, Object> child = (Map<String, Object>) e.getValue();
        fields.add(p);
        if (!(child.get("description") instanceof String d) || d.isBlank()) {
          missing.add(p);
        }
        if (!EMBEDDED.contains(p)) {
          walk(child, p, fields, missing);
        }
      }
    }
    if (node.get("items") instanceof Map<?, ?> items) {
      walk((Map<String, Object>) items, path + "[]", fields, missing);
    }
    if (node.get("additionalProperties") instanceof Map<?, ?> values) {
      walk((Map<String, Object>) values, path + "{}", fields, missing);
    }
  }
}
