package io.modelrollout.operator.install;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelrollout.operator.testing.TestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * The Argo CD health check and actions for ModelDeployments (examples/argocd), run by a Lua
 * interpreter against sample objects, as Argo CD runs them: the object is the global {@code obj}.
 */
class ArgoCdLuaTest {
  static final Path DIR = TestCluster.projectDir().resolve("examples/argocd");
  static final List<String> ACTIONS =
      List.of("promote", "promote-full", "abort", "retry", "pause", "resume");

  @Test
  void noStatusIsProgressing() throws IOException {
    Map<String, Object> hs = health(md(3, null));
    assertThat(hs).containsEntry("status", "Progressing");
    assertThat((String) hs.get("message")).contains("observe");
  }

  @Test
  void statusOfAnOlderGenerationIsProgressingWhateverItsPhase() throws IOException {
    Map<String, Object> hs = health(md(3, status(2, "Healthy", "Serving 2.3.0")));
    assertThat(hs).containsEntry("status", "Progressing");
    assertThat((String) hs.get("message")).contains("generation 3");
    assertThat(health(md(3, status(null, "Healthy", "x")))).containsEntry("status", "Progressing");
  }

  @ParameterizedTest
  @CsvSource({
    "Initializing, Progressing",
    "Progressing, Progressing",
    "Paused, Suspended",
    "Healthy, Healthy",
    "Degraded, Degraded",
    "RolledBack, Degraded",
    "Sideways, Unknown"
  })
  void phaseMapsToHealth(String phase, String health) throws IOException {
    Map<String, Object> hs = health(md(4, status(4, phase, "the operator's message")));
    assertThat(hs).containsEntry("status", health);
    if (!health.equals("Unknown")) {
      assertThat(hs).containsEntry("message", "the operator's message");
    }
  }

  @Test
  void statusWithoutPhaseIsProgressing() throws IOException {
    assertThat(health(md(1, status(1, null, null)))).containsEntry("status", "Progressing");
  }

  @Test
  void invalidSpecIsDegradedWithItsMessage() throws IOException {
    Map<String, Object> st = status(5, "Healthy", null);
    st.put(
        "conditions",
        List.of(
            condition("Ready", "True", "Promoted", "ready"),
            condition("InvalidSpec", "True", "PolicyNotFound", "RolloutPolicy gone not found")));
    Map<String, Object> hs = health(md(5, st));
    assertThat(hs)
        .containsEntry("status", "Degraded")
        .containsEntry("message", "RolloutPolicy gone not found");
    st.put("conditions", List.of(condition("InvalidSpec", "False", "Valid", "")));
    assertThat(health(md(5, st))).containsEntry("status", "Healthy");
  }

  @Test
  void rolledBackWithoutMessageTellsTheDegradedCondition() throws IOException {
    Map<String, Object> st = status(2, "RolledBack", null);
    st.put(
        "conditions",
        List.of(
            condition("Degraded", "True", "GateFailed", "gate errors failed: value 0.2"),
            condition("Paused", "False", "", ""),
            condition("Progressing", "False", "", "")));
    assertThat(health(md(2, st)))
        .containsEntry("status", "Degraded")
        .containsEntry("message", "gate errors failed: value 0.2");
  }

  @ParameterizedTest
  @ValueSource(strings = {"promote", "promote-full", "abort", "retry", "pause", "resume"})
  void actionSetsTheAnnotationAndKeepsOthers(String action) throws IOException {
    Map<String, Object> obj = md(2, status(2, "Progressing", "step 1"));
    Map<String, Object> meta = Chart.at(obj, "metadata");
    meta.put("annotations", new LinkedHashMap<>(Map.of("team", "risk")));
    Map<String, Object> out = run(DIR.resolve("actions/" + action + ".lua"), obj);
    assertThat((Map<String, Object>) Chart.at(out, "metadata", "annotations"))
        .containsEntry("modelrollout.io/action", action)
        .containsEntry("team", "risk");
    assertThat((Object) Chart.at(out, "spec"))
        .as("spec untouched")
        .isEqualTo(fromLua(toLua(obj.get("spec")))); // numbers are doubles in Lua

    Map<String, Object> bare = md(1, null);
    assertThat(
            (String)
                Chart.at(
                    run(DIR.resolve("actions/" + action + ".lua"), bare),
                    "metadata",
                    "annotations",
                    "modelrollout.io/action"))
        .as("without annotations")
        .isEqualTo(action);
  }

  @Test
  void discoveryOffersWhatFitsThePhase() throws IOException {
    Map<String, Object> rolling = status(2, "Progressing", null);
    rolling.put("canary", Map.of("version", "2.4.0"));
    assertThat(enabled(md(2, rolling)))
        .containsExactlyInAnyOrder("promote", "promote-full", "abort", "pause");
    Map<String, Object> paused = status(2, "Paused", null);
    paused.put("canary", Map.of("version", "2.4.0"));
    paused.put("userPaused", true);
    assertThat(enabled(md(2, paused)))
        .containsExactlyInAnyOrder("promote", "promote-full", "abort", "resume");
    assertThat(enabled(md(2, status(2, "RolledBack", null))))
        .containsExactlyInAnyOrder("retry", "pause");
    assertThat(enabled(md(2, status(2, "Healthy", null)))).containsExactly("pause");
    assertThat(enabled(md(1, null))).containsExactly("pause");
  }

  @Test
  void snippetEmbedsTheTestedFiles() throws IOException {
    Map<String, Object> cm = Chart.yaml(Files.readString(DIR.resolve("argocd-cm.yaml")));
    Map<String, Object> data = Chart.at(cm, "data");
    String regen = "examples/argocd/argocd-cm.yaml is stale: run hack/argocd-cm.sh";
    assertThat((String) data.get("resource.customizations.health.modelrollout.io_ModelDeployment"))
        .as(regen)
        .isEqualTo(Files.readString(DIR.resolve("health.lua")));
    Map<String, Object> actions =
        Chart.yaml(
            (String) data.get("resource.customizations.actions.modelrollout.io_ModelDeployment"));
    assertThat((String) actions.get("discovery.lua"))
        .as(regen)
        .isEqualTo(Files.readString(DIR.resolve("actions/discovery.lua")));
    List<Map<String, Object>> defs = Chart.at(actions, "definitions");
    assertThat(defs.stream().map(d -> (String) d.get("name"))).containsExactlyElementsOf(ACTIONS);
    for (Map<String, Object> d : defs) {
      assertThat((String) d.get("action.lua"))
          .as(regen)
          .isEqualTo(Files.readString(DIR.resolve("actions/" + d.get("name") + ".lua")));
    }
  }

  @Test
  void scriptsStayInLua51() throws IOException {
    try (Stream<Path> files = Files.walk(DIR)) {
      List<Path> lua = files.filter(p -> p.toString().endsWith(".lua")).toList();
      assertThat(lua).hasSize(8);
      for (Path f : lua) {
        String code =
            Files.readString(f)
                .replaceAll("--[^\n]*", "") // comments
                .replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\""); // strings
        assertThat(code)
            .as("%s: Lua 5.1 has no goto, labels, integer division or bit operators", f)
            .doesNotContainPattern("\\bgoto\\b")
            .doesNotContain("::")
            .doesNotContain("//")
            .doesNotContainPattern("[&|]|<<|>>|~(?!=)");
      }
    }
  }

  // --- running scripts

  static Map<String, Object> health(Map<String, Object> obj) throws IOException {
    return run(DIR.resolve("health.lua"), obj);
  }

  static List<String> enabled(Map<String, Object> obj) throws IOException {
    Map<String, Object> actions = run(DIR.resolve("actions/discovery.lua"), obj);
    assertThat(actions.keySet()).containsExactlyInAnyOrderElementsOf(ACTIONS);
    List<String> out = new ArrayList<>();
    actions.forEach(
        (k, v) -> {
          if (!Boolean.TRUE.equals(((Map<?, ?>) v).get("disabled"))) {
            out.add(k);
          }
        });
    return out;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> run(Path script, Map<String, Object> obj) throws IOException {
    Globals g = JsePlatform.standardGlobals();
    g.set("obj", toLua(obj));
    LuaValue result = g.load(Files.readString(script), script.getFileName().toString()).call();
    return (Map<String, Object>) fromLua(result);
  }

  static LuaValue toLua(Object o) {
    if (o == null) {
      return LuaValue.NIL;
    } else if (o instanceof Map<?, ?> m) {
      LuaTable t = new LuaTable();
      m.forEach((k, v) -> t.set(String.valueOf(k), toLua(v)));
      return t;
    } else if (o instanceof List<?> l) {
      LuaTable t = new LuaTable();
      for (int i = 0; i < l.size(); i++) {
        t.set(i + 1, toLua(l.get(i)));
      }
      return t;
    } else if (o instanceof Boolean b) {
      return LuaValue.valueOf(b);
    } else if (o instanceof Number n) {
      return LuaValue.valueOf(n.doubleValue());
    }
    return LuaValue.valueOf(o.toString());
  }

  static Object fromLua(LuaValue v) {
    if (v.isnil()) {
      return null;
    } else if (v.istable()) {
      LuaTable t = v.checktable();
      if (t.length() > 0) {
        List<Object> l = new ArrayList<>();
        for (int i = 1; i <= t.length(); i++) {
          l.add(fromLua(t.get(i)));
        }
        return l;
      }
      Map<String, Object> m = new LinkedHashMap<>();
      for (LuaValue k : t.keys()) {
        m.put(k.tojstring(), fromLua(t.get(k)));
      }
      return m;
    } else if (v.isboolean()) {
      return v.toboolean();
    } else if (v.type() == LuaValue.TNUMBER) {
      return v.todouble();
    }
    return v.tojstring();
  }

  // --- sample objects

  static Map<String, Object> md(long generation, Map<String, Object> status) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("apiVersion", "modelrollout.io/v1alpha1");
    o.put("kind", "ModelDeployment");
    o.put(
        "metadata",
        new LinkedHashMap<>(
            Map.of("name", "fraud", "namespace", "models", "generation", generation)));
    o.put(
        "spec",
        Map.of("model", Map.of("name", "fraud-detector", "version", "2.4.0"), "replicas", 3));
    if (status != null) {
      o.put("status", status);
    }
    return o;
  }

  static Map<String, Object> status(Integer observedGeneration, String phase, String message) {
    Map<String, Object> s = new LinkedHashMap<>();
    if (observedGeneration != null) s.put("observedGeneration", observedGeneration);
    if (phase != null) s.put("phase", phase);
    if (message != null) s.put("message", message);
    return s;
  }

  static Map<String, Object> condition(String type, String status, String reason, String message) {
    return Map.of("type", type, "status", status, "reason", reason, "message", message);
  }
}
