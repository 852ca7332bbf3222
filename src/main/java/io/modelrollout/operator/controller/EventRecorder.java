package io.modelrollout.operator.controller;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.status.EventSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Emits Kubernetes Events on a ModelDeployment, off the reconcile thread: each ModelDeployment's
 * events go, in order, through one of a few lanes (a thread each), so a rollout step waits for its
 * route and status writes, not for its events (seven per rollout; a third of the operator's
 * requests in a burst). A full lane makes the caller emit itself rather than lose an event. A
 * failure to emit is logged in one line, never fatal (at debug when the namespace is terminating,
 * which is expected). The log line of an event is written at once, in the reconcile's order.
 */
public class EventRecorder implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(EventRecorder.class);
  private static final int MAX_MESSAGE = 1024;
  private static final int LANES = 4;
  private static final int LANE_CAPACITY = 10_000;
  private final Clock clock;
  private final List<ThreadPoolExecutor> lanes = new ArrayList<>();

  public EventRecorder(Clock clock) {
    this.clock = clock;
    for (int i = 0; i < LANES; i++) {
      String name = "events-" + i;
      lanes.add(
          new ThreadPoolExecutor(
              1,
              1,
              0,
              TimeUnit.MILLISECONDS,
              new LinkedBlockingQueue<>(LANE_CAPACITY),
              r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
              },
              (r, pool) -> {
                if (!pool.isShutdown()) {
                  r.run(); // a full lane: the caller emits, nothing is lost
                }
              }));
    }
  }

  /** Waits until every event emitted so far was sent (or {@code atMost} passed). */
  public boolean flush(Duration atMost) {
    long deadline = System.nanoTime() + atMost.toNanos();
    try {
      for (ThreadPoolExecutor lane : lanes) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        lane.submit(() -> {}).get(left, TimeUnit.NANOSECONDS);
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
      return false;
    }
  }

  /** Sends what is queued (for a few seconds at most), then stops the lanes. */
  @Override
  public void close() {
    flush(Duration.ofSeconds(5));
    lanes.forEach(ThreadPoolExecutor::shutdownNow);
  }

  public void emit(KubernetesClient client, ModelDeployment md, EventSpec e) {
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    String message =
        e.message().length() > MAX_MESSAGE
            ? e.message().substring(0, MAX_MESSAGE - 3) + "..."
            : e.message();
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withName(
                md.getMetadata().getName()
                    + "."
                    + UUID.randomUUID().toString().substring(0, 13).replace("-", ""))
            .withNamespace(md.getMetadata().getNamespace())
            .endMetadata()
            .withNewInvolvedObject()
            .withApiVersion(md.getApiVersion())
            .withKind(md.getKind())
            .withName(md.getMetadata().getName())
            .withNamespace(md.getMetadata().getNamespace())
            .withUid(md.getMetadata().getUid())
            .endInvolvedObject()
            .withType(e.warning() ? "Warning" : "Normal")
            .withReason(e.reason())
            .withMessage(message)
            .withNewSource()
            .withComponent(OperatorSettings.FIELD_MANAGER)
            .endSource()
            .withReportingComponent(OperatorSettings.FIELD_MANAGER)
            .withReportingInstance(hostname())
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .build();
    Runnable send = () -> send(client, md, e, event);
    ThreadPoolExecutor lane =
        lanes.get(Math.floorMod(String.valueOf(md.getMetadata().getUid()).hashCode(), LANES));
    if (lane.isShutdown()) {
      send.run();
    } else {
      lane.execute(send);
    }
    if (e.warning()) {
      LOG.warnf(
          "%s/%s %s: %s",
          md.getMetadata().getNamespace(), md.getMetadata().getName(), e.reason(), message);
    } else {
      LOG.infof(
          "%s/%s %s: %s",
          md.getMetadata().getNamespace(), md.getMetadata().getName(), e.reason(), message);
    }
  }

  private static void send(KubernetesClient client, ModelDeployment md, EventSpec e, Event event) {
    try {
      client.v1().events().inNamespace(md.getMetadata().getNamespace()).resource(event).create();
    } catch (RuntimeException ex) {
      String why = ObjectWriter.why(ex);
      if (Failures.classify(ex) == Failures.Kind.GONE) { // expected while a namespace goes away
        LOG.debugf(
            "%s/%s: event %s not emitted, the namespace is terminating: %s",
            md.getMetadata().getNamespace(), md.getMetadata().getName(), e.reason(), why);
      } else {
        LOG.warnf(
            "could not emit event %s on %s/%s: %s",
            e.reason(), md.getMetadata().getNamespace(), md.getMetadata().getName(), why);
      }
    }
  }

  private static String hostname() {
    String h = System.getenv("HOSTNAME");
    return h == null ? "local" : h;
  }
}
