package io.modelrollout.operator.install;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.controller.OperatorSettings;
import io.modelrollout.operator.testing.Fixtures;
import io.modelrollout.operator.testing.Scenario;
import io.modelrollout.operator.testing.ScriptedMetrics;
import io.modelrollout.operator.testing.TestCluster;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The operator never writes a ModelDeployment's spec, so GitOps tools see no drift: through a full
 * canary with a manual promotion, the managed fields of the operator's field manager cover only
 * status (and, for the annotation it removes after an action, metadata), never spec.
 */
class ManagedFieldsIT {
  @Test
  void operatorManagesOnlyStatusThroughAFullCanary() throws Exception {
    ScriptedMetrics metrics = new ScriptedMetrics();
    try (Scenario s = Scenario.start("managed-fields", metrics)) {
      s.client
          .resource(
              Fixtures.canaryPolicy(
                  s.ns,
                  "canary",
                  1,
                  CanaryStep.weight(25),
                  CanaryStep.pause(null),
                  CanaryStep.weight(50),
                  CanaryStep.pause("1s")))
          .create();
      s.client
          .resource(Fixtures.withPolicy(Fixtures.model(s.ns, "fraud", "1.0.0", 3), "canary"))
          .create();
      Set<String> seen = new ConcurrentSkipListSet<>();
      s.awaitMd("fraud", m -> record(m, seen) && m.getStatus().phase == Phase.Healthy);
      Fixtures.patch(
          s.client,
          s.ns,
          "fraud",
          "{\"spec\":{\"model\":{\"version\":\"2.0.0\",\"uri\":\"s3://models/fraud/2.0.0\"}}}");
      s.awaitMd("fraud", m -> record(m, seen) && m.getStatus().phase == Phase.Paused);
      s.patch("fraud", "{\"metadata\":{\"annotations\":{\"modelrollout.io/action\":\"promote\"}}}");
      ModelDeployment done =
          s.awaitMd(
              "fraud",
              m ->
                  record(m, seen)
                      && "2.0.0".equals(m.getStatus().stable.version)
                      && m.getStatus().canary == null);

      assertThat(seen)
          .as("top-level fields the operator's managers ever held, over every observed version")
          .isSubsetOf("status:f:status", "main:f:metadata")
          .contains("status:f:status");
      List<ManagedFieldsEntry> ours = operatorEntries(done);
      assertThat(ours)
          .as("at rest: one status entry, by server-side apply")
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.getSubresource()).isEqualTo("status");
                assertThat(e.getOperation()).isEqualTo("Apply");
                assertThat(topLevel(e)).containsExactly("f:status");
              });
      assertThat(done.getMetadata().getManagedFields())
          .filteredOn(e -> topLevel(e).contains("f:spec"))
          .allSatisfy(
              e -> assertThat(e.getManager()).doesNotStartWith(OperatorSettings.FIELD_MANAGER));
    }
  }

  @Test
  void argoCdExampleFolderIsAcceptedByTheApiServer() throws Exception {
    try (var client = TestCluster.client();
        Stream<Path> files =
            Files.list(TestCluster.projectDir().resolve("examples/argocd/models"))) {
      String ns = TestCluster.newNamespace(client, "argocd-models");
      for (Path f : files.sorted().toList()) {
        try (InputStream in = Files.newInputStream(f)) {
          for (HasMetadata o : client.load(in).items()) {
            o.getMetadata().setNamespace(ns);
            assertThat(client.resource(o).dryRun().create().getMetadata().getUid()).isNotNull();
          }
        }
      }
    }
  }

  private static boolean record(ModelDeployment m, Set<String> seen) {
    for (ManagedFieldsEntry e : operatorEntries(m)) {
      String where =
          e.getSubresource() == null || e.getSubresource().isEmpty() ? "main" : e.getSubresource();
      topLevel(e).forEach(k -> seen.add(where + ":" + k));
    }
    return true;
  }

  private static List<ManagedFieldsEntry> operatorEntries(ModelDeployment m) {
    return m.getMetadata().getManagedFields().stream()
        .filter(e -> e.getManager().startsWith(OperatorSettings.FIELD_MANAGER))
        .toList();
  }

  @SuppressWarnings("unchecked")
  private static Set<String> topLevel(ManagedFieldsEntry e) {
    Set<String> out = new TreeSet<>();
    if (e.getFieldsV1() != null && e.getFieldsV1().getAdditionalProperties() != null) {
      out.addAll(
          ((Map<String, Object>) (Map<?, ?>) e.getFieldsV1().getAdditionalProperties()).keySet());
    }
    return out;
  }
}
