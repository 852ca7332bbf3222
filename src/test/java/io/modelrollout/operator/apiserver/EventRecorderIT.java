package io.modelrollout.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.controller.EventRecorder;
import io.modelrollout.operator.status.EventSpec;
import io.modelrollout.operator.testing.Fixtures;
import io.modelrollout.operator.testing.TestCluster;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Events leave off the reconcile thread, yet each ModelDeployment's arrive complete and in the
 * order they were emitted, and closing the recorder sends what it still holds.
 */
class EventRecorderIT {
  KubernetesClient client;
  String ns;

  @BeforeEach
  void setUp() {
    client = TestCluster.client();
    ns = TestCluster.newNamespace(client, "events");
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  @Test
  void eachModelDeploymentsEventsArriveAllAndInOrder() {
    List<ModelDeployment> mds =
        IntStream.range(0, 3)
            .mapToObj(i -> client.resource(Fixtures.model(ns, "m" + i, "1.0.0", 1)).create())
            .toList();
    try (EventRecorder recorder = new EventRecorder(Clock.systemUTC())) {
      for (int n = 0; n < 150; n++) { // more than a lane holds: emitting waits for room
        for (ModelDeployment md : mds) {
          recorder.emit(client, md, EventSpec.normal("Step", "step " + n));
        }
      }
      assertThat(recorder.flush(Duration.ofSeconds(30))).isTrue();
    }
    for (ModelDeployment md : mds) {
      List<String> messages =
          client.v1().events().inNamespace(ns).list().getItems().stream()
              .filter(e -> md.getMetadata().getName().equals(e.getInvolvedObject().getName()))
              .sorted(
                  Comparator.comparing(
                      (Event e) -> Long.parseLong(e.getMetadata().getResourceVersion())))
              .map(Event::getMessage)
              .toList();
      assertThat(messages)
          .as("written in emit order (resourceVersion)")
          .containsExactlyElementsOf(IntStream.range(0, 150).mapToObj(n -> "step " + n).toList());
    }
  }

  @Test
  void closingSendsWhatIsStillQueued() {
    ModelDeployment md = client.resource(Fixtures.model(ns, "m", "1.0.0", 1)).create();
    EventRecorder recorder = new EventRecorder(Clock.systemUTC());
    for (int n = 0; n < 30; n++) {
      recorder.emit(client, md, EventSpec.normal("Step", "step " + n));
    }
    recorder.close();
    assertThat(client.v1().events().inNamespace(ns).list().getItems()).hasSize(30);
    // after close an event is still sent, on the caller's thread
    recorder.emit(client, md, EventSpec.warning("Late", "after close"));
    assertThat(client.v1().events().inNamespace(ns).list().getItems()).hasSize(31);
  }
}
