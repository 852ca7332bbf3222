package io.modelrollout.operator.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Event;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.RolloutPolicy;
import io.modelrollout.operator.cli.RolloutView.PolicyInfo;
import io.modelrollout.operator.testing.TestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The rendering cases under src/test/resources/cli/cases: a ModelDeployment with its status and
 * events, one file each, and the policies they name (_policies.yaml), seen at {@link #NOW}.
 */
final class Cases {
  static final Instant NOW = Instant.parse("2026-01-15T10:00:00Z");
  static final Path DIR = TestCluster.projectDir().resolve("src/test/resources/cli/cases");
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private Cases() {}

  /** One case: the object, what the CLI would have learnt of its policy, its events. */
  record Case(String name, ModelDeployment md, PolicyInfo policy, List<Event> events) {
    RolloutView view() {
      return RolloutView.of(md, policy, events, NOW);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static List<String> names() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml") && !n.startsWith("_"))
          .map(n -> n.substring(0, n.length() - 5))
          .sorted()
          .toList();
    }
  }

  static Case load(String name) throws IOException {
    Map<String, RolloutPolicy> policies = new HashMap<>();
    for (JsonNode doc : docs(DIR.resolve("_policies.yaml"))) {
      RolloutPolicy p = YAML.convertValue(doc, RolloutPolicy.class);
      policies.put(p.getMetadata().getName(), p);
    }
    ModelDeployment md = null;
    List<Event> events = new ArrayList<>();
    for (JsonNode doc : docs(DIR.resolve(name + ".yaml"))) {
      switch (doc.get("kind").asText()) {
        case "ModelDeployment" -> md = YAML.convertValue(doc, ModelDeployment.class);
        case "Event" -> events.add(YAML.convertValue(doc, Event.class));
        default -> throw new IllegalArgumentException("unexpected kind in " + name);
      }
    }
    return new Case(name, md, policy(md, policies), events);
  }

  private static PolicyInfo policy(ModelDeployment md, Map<String, RolloutPolicy> policies) {
    var r = md.getSpec().rollout;
    if (r == null) {
      return PolicyInfo.none();
    }
    if (r.policy != null) {
      return new PolicyInfo(r.policy, null, "inline", null);
    }
    RolloutPolicy p = policies.get(r.policyRef.name);
    return p == null
        ? new PolicyInfo(
            null,
            r.policyRef.name,
            "RolloutPolicy",
            "RolloutPolicy " + r.policyRef.name + " not found")
        : new PolicyInfo(p.getSpec(), r.policyRef.name, "RolloutPolicy", null);
  }

  private static List<JsonNode> docs(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    try (var parser = YAML.getFactory().createParser(file.toFile())) {
      var it = YAML.readValues(parser, JsonNode.class);
      while (it.hasNext()) {
        JsonNode n = it.next();
        if (n != null && !n.isNull() && !n.isEmpty()) {
          out.add(n);
        }
      }
    }
    return out;
  }
}
