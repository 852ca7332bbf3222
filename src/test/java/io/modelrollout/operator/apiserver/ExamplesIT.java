package io.modelrollout.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelrollout.operator.testing.TestCluster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every file in examples/ and the demo's policies (hack/demo/, which the README's sessions use) is
 * accepted by the API server with the committed CRDs.
 */
class ExamplesIT {
  @Test
  void everyExampleIsAccepted() throws IOException {
    try (KubernetesClient client = TestCluster.client();
        Stream<Path> examples = Files.list(TestCluster.projectDir().resolve("examples"));
        Stream<Path> demo = Files.list(TestCluster.projectDir().resolve("hack/demo"))) {
      String ns = TestCluster.newNamespace(client, "examples");
      List<Path> yamls =
          Stream.concat(examples.sorted(), demo.sorted())
              .filter(p -> p.toString().endsWith(".yaml"))
              .toList();
      assertThat(yamls).isNotEmpty();
      for (Path f : yamls) {
        try (InputStream in = Files.newInputStream(f)) {
          for (HasMetadata o : client.load(in).items()) {
            HasMetadata created = client.resource(o).inNamespace(ns).create();
            assertThat(created.getMetadata().getUid()).as(f.getFileName().toString()).isNotBlank();
          }
        }
      }
    }
  }
}
