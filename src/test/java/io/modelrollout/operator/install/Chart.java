package io.modelrollout.operator.install;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.modelrollout.operator.testing.TestCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The Helm chart under helm/model-rollout-operator, rendered by a real Helm engine (helm-java). */
public final class Chart {
  public static final String RELEASE = "mro";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Chart() {}

  public static Path dir() {
    return TestCluster.projectDir().resolve("helm/model-rollout-operator");
  }

  public static Helm helm() {
    return new Helm(dir());
  }

  /** {@code helm template} with {@code --set key=value} for each entry. */
  public static String template(String namespace, Map<String, Object> values) {
    return template(RELEASE, namespace, values);
  }

  /** The same for another release name. */
  public static String template(String release, String namespace, Map<String, Object> values) {
    TemplateCommand t = helm().template().withName(release).withNamespace(namespace);
    values.forEach(t::set);
    return t.call();
  }

  /** The rendered manifests as maps, one per YAML document, empty documents dropped. */
  public static List<Map<String, Object>> objects(String rendered) {
    List<Map<String, Object>> out = new ArrayList<>();
    try (var parser = YAML.getFactory().createParser(rendered)) {
      var it = YAML.readValues(parser, Object.class);
      while (it.hasNext()) {
        if (it.next() instanceof Map<?, ?> m && !m.isEmpty()) {
          @SuppressWarnings("unchecked")
          Map<String, Object> o = (Map<String, Object>) m;
          out.add(o);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot parse the rendered chart", e);
    }
    return out;
  }

  public static List<Map<String, Object>> ofKind(List<Map<String, Object>> objects, String kind) {
    return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
  }

  /** Reads a nested value by keys and list indexes, e.g. {@code at(o, "spec", "template")}. */
  @SuppressWarnings("unchecked")
  public static <T> T at(Object node, Object... path) {
    Object cur = node;
    for (Object p : path) {
      if (cur == null) {
        return null;
      }
      cur =
          p instanceof Integer i ? ((List<Object>) cur).get(i) : ((Map<String, Object>) cur).get(p);
    }
    return (T) cur;
  }

  public static String name(Map<String, Object> o) {
    return Objects.requireNonNull(at(o, "metadata", "name"));
  }

  public static Map<String, Object> yaml(String text) {
    try {
      return YAML.readValue(text, new TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
