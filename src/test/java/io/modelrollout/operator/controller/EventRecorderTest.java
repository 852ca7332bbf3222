package io.modelrollout.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.status.EventSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A lane that stays full: the emitting reconcile waits a bounded time, then the event is dropped.
 */
class EventRecorderTest {

  @Test
  void aLaneThatStaysFullDropsEventsInsteadOfHoldingTheReconcile() throws Exception {
    List<Socket> held = new CopyOnWriteArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        KubernetesClient client =
            new KubernetesClientBuilder()
                .withConfig(
                    new ConfigBuilder()
                        .withMasterUrl("http://127.0.0.1:" + silent.getLocalPort())
                        .withRequestTimeout(60_000)
                        .withRequestRetryBackoffLimit(0)
                        .build())
                .build()) {
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    held.add(silent.accept()); // an API server that takes requests, never answers
                  }
                } catch (IOException closed) {
                  // the test is over
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      EventRecorder recorder = new EventRecorder(Clock.systemUTC(), Duration.ofMillis(300));
      ModelDeployment md = new ModelDeployment();
      md.setMetadata(
          new ObjectMetaBuilder().withName("m").withNamespace("ns").withUid("u").build());
      // one lane for this ModelDeployment: one event in flight, 64 queued, the rest find it full
      assertTimeoutPreemptively(
          Duration.ofSeconds(30),
          () -> {
            for (int i = 0; i < 70; i++) {
              recorder.emit(client, md, EventSpec.normal("Step" + i, "message " + i));
            }
          },
          "a full lane must not hold the reconcile for longer than its wait");
      assertThat(recorder.dropped()).isBetween(5L, 6L);
      silent.close();
      for (Socket s : held) {
        s.close(); // the queued sends now fail at once, and close() does not wait on them
      }
      recorder.close();
    }
  }
}
