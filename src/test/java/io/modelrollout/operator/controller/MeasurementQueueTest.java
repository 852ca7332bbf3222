package io.modelrollout.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.modelrollout.operator.analysis.Measurement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Measurements started on demand or scheduled at their gate's due time. */
class MeasurementQueueTest {
  final MeasurementQueue queue = new MeasurementQueue(2, new MeasurementEvents());
  final ResourceID id = new ResourceID("m", "ns");
  final AtomicInteger queries = new AtomicInteger();
  final AtomicReference<Instant> startedAt = new AtomicReference<>();

  MeasurementQueue.Job job(String key) {
    return new MeasurementQueue.Job(
        "errors",
        key,
        Duration.ofSeconds(2),
        () -> {
          startedAt.compareAndSet(null, Instant.now());
          queries.incrementAndGet();
          return new Measurement.Value(0.0, "q");
        });
  }

  @AfterEach
  void close() {
    queue.close();
  }

  @Test
  void aScheduledMeasurementStartsAtItsDueTimeAndIsTakenByTheNextCollect() {
    Instant due = Instant.now().plusMillis(300);
    queue.schedule(id, "u1", job("k1"), Duration.ofMillis(300));
    queue.schedule(id, "u1", job("k1"), Duration.ofMillis(300)); // known: not twice
    assertThat(queue.scheduled()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> queries.get() == 1);
    assertThat(startedAt.get()).as("never before the gate is due").isAfterOrEqualTo(due);
    await().atMost(Duration.ofSeconds(5)).until(() -> queue.pending() == 1); // done, not taken
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> queue.collect(id, List.of(job("k1"))).containsKey("errors"));
    assertThat(queries).as("taken, not asked again").hasValue(1);
    assertThat(queue.pending()).isZero();
  }

  @Test
  void aScheduledMeasurementAskedForEarlierStartsThen() {
    queue.schedule(id, "u1", job("k1"), Duration.ofSeconds(60));
    assertThat(queue.collect(id, List.of(job("k1")))).isEmpty();
    await().atMost(Duration.ofSeconds(5)).until(() -> queries.get() == 1);
    assertThat(queue.scheduled()).isZero();
  }

  @Test
  void aScheduledMeasurementNoLongerAskedForIsCancelled() throws InterruptedException {
    queue.schedule(id, "u1", job("k1"), Duration.ofMillis(200));
    queue.collect(id, List.of()); // the stage moved on
    assertThat(queue.scheduled()).isZero();
    Thread.sleep(600);
    assertThat(queries).hasValue(0);

    queue.schedule(id, "u1", job("k2"), Duration.ofMillis(200));
    queue.forget(id, "u1"); // the ModelDeployment is gone
    queue.schedule(id, "u1", job("k3"), Duration.ZERO); // a reconcile that ran on as it went
    Thread.sleep(600);
    assertThat(queries).hasValue(0);
    assertThat(queue.scheduled()).isZero();

    queue.schedule(id, "u2", job("k4"), Duration.ZERO); // created again under the same name
    await().atMost(Duration.ofSeconds(5)).until(() -> queries.get() == 1);
  }
}
