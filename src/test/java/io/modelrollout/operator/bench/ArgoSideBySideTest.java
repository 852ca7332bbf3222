package io.modelrollout.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArgoSideBySideTest {
  @Test
  void aRolloutIsHealthyOnlyOnceItsSpecIsObservedAndStableIsCurrent() {
    GenericKubernetesResource r = ArgoSideBySide.rollout("ns", 3);
    r.getMetadata().setGeneration(2L); // Argo's first reconcile writes a default into the spec
    assertThat(ArgoSideBySide.healthy(r)).as("no status yet").isFalse();

    Map<String, Object> status = new HashMap<>();
    status.put("observedGeneration", "1");
    status.put("phase", "Healthy");
    status.put("stableRS", "abc");
    status.put("currentPodHash", "abc");
    r.setAdditionalProperty("status", status);
    assertThat(ArgoSideBySide.healthy(r)).as("generation 2 not observed").isFalse();

    status.put("observedGeneration", "2");
    assertThat(ArgoSideBySide.healthy(r)).isTrue();
    assertThat(ArgoSideBySide.podHash(r)).isEqualTo("abc");

    status.put("currentPodHash", "def"); // a new template, not yet promoted
    assertThat(ArgoSideBySide.healthy(r)).isFalse();
    status.put("stableRS", "def");
    status.put("phase", "Progressing");
    assertThat(ArgoSideBySide.healthy(r)).isFalse();
  }

  @Test
  void theRolloutAndItsServiceMatchWhatTheBenchmarkComparesWith() {
    GenericKubernetesResource r = ArgoSideBySide.rollout("ns", 7);
    Map<?, ?> spec = (Map<?, ?>) r.getAdditionalProperties().get("spec");
    assertThat(spec.get("replicas")).isEqualTo(1);
    assertThat(((Map<?, ?>) ((Map<?, ?>) spec.get("strategy")).get("canary")).get("steps"))
        .isEqualTo(List.of(Map.of("setWeight", 50), Map.of("pause", Map.of("duration", "5s"))));
    Object labels = ((Map<?, ?>) ((Map<?, ?>) spec.get("template")).get("metadata")).get("labels");
    assertThat(((Map<?, ?>) labels).get("app.kubernetes.io/name")).isEqualTo("r-7");
    assertThat(ArgoSideBySide.service("ns", 7).getSpec().getSelector())
        .isEqualTo(Map.of("app.kubernetes.io/name", "r-7"));
  }
}
