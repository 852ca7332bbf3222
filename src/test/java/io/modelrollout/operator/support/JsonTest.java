package io.modelrollout.operator.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelrollout.operator.api.GateStatus;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Equality by JSON value, as the canonical text compares it. */
class JsonTest {

  @Test
  void keyOrderAndIntegerTypesDoNotMatterButValuesDo() {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("b", 1);
    a.put("a", List.of(Map.of("x", 2L)));
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("a", List.of(Map.of("x", 2)));
    b.put("b", 1L);
    assertThat(Json.same(a, b)).isTrue();
    assertThat(Json.canonical(a)).isEqualTo(Json.canonical(b));
    b.put("b", 2);
    assertThat(Json.same(a, b)).isFalse();
    b.put("b", 1.0);
    assertThat(Json.same(a, b)).as("as the canonical text: 1 and 1.0 print differently").isFalse();
    assertThat(Json.canonical(a)).isNotEqualTo(Json.canonical(b));
  }

  @Test
  void statusesCompareByValue() {
    ModelDeploymentStatus x = status(3);
    assertThat(Json.same(x, status(3))).isTrue();
    assertThat(Json.same(x, status(4))).isFalse();
    ModelDeploymentStatus y = status(3);
    y.gates.get(0).message = "";
    assertThat(Json.same(x, y)).as("null and empty differ").isFalse();
    assertThat(Json.same(null, null)).isTrue();
    assertThat(Json.same(x, null)).isFalse();
    assertThat(Json.same(null, x)).isFalse();
  }

  private static ModelDeploymentStatus status(int successes) {
    ModelDeploymentStatus st = new ModelDeploymentStatus();
    st.message = "serving";
    GateStatus g = new GateStatus();
    g.name = "errors";
    g.successes = successes;
    g.value = 0.001;
    st.gates = new java.util.ArrayList<>(List.of(g));
    return st;
  }
}
