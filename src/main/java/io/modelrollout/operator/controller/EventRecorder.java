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
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Emits Kubernetes Events on a ModelDeployment, off the reconcile thread: each ModelDeployment's
 * events go, in order, through one of a few lanes (a thread each), so a rollout step waits for its
 * route and status writes, not for its events (seven per rollout; a third of the operator's
 * requests in a burst). A full lane makes the emitting reconcile wait for room rather than send out
 * of order: the reconciles slow down to the pace the API server takes events at, as they did
 * before; only a lane full for 5 s drops an event, with a warning. Closing sends what is queued. A
 * failure to emit is logged in one line, never fatal (at debug when the namespace is terminating,
 * which is expected). The log line of an event is written at once, in the reconcile's order.
 */
public class EventRecorder implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(EventRecorder.class);
  private static final int MAX_MESSAGE = 1024;
  private static final int LANES = 8;

  /**
   * Events a lane holds before the reconcile that emits the next one waits for room: a short
   * buffer, so events never trail their status by more than a moment and the queue never holds much
   * (at N = 2000 a deep one held 10,000 events, and what they referred to, for minutes).
   */
  private static final int LANE_CAPACITY = 64;

  private static final Duration ROOM_WAIT = Duration.ofSeconds(5);

  private final Clock clock;
  private final Duration roomWait;
  private final AtomicLong dropped = new AtomicLong();
  private final List<ThreadPoolExecutor> lanes = new ArrayList<>();

  public EventRecorder(Clock clock) {
    this(clock, ROOM_WAIT);
  }

  /** With {@code roomWait}: how long a full lane may hold the emitting reconcile (tests). */
  EventRecorder(Clock clock, Duration roomWait) {
    this.clock = clock;
    this.roomWait = roomWait;
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
              this::waitForRoom));
    }
    lanes.forEach(ThreadPoolExecutor::prestartAllCoreThreads);
  }

  /**
   * A full lane: the emitting reconcile waits for room, its events staying in order behind the ones
   * queued; a lane full for {@link #ROOM_WAIT} (an API server that takes events no more) drops the
   * event with a warning rather than hold the reconcile threads. A stopped lane: the caller sends
   * the event itself.
   */
  private void waitForRoom(Runnable r, ThreadPoolExecutor pool) {
    if (pool.isShutdown()) {
      r.run();
      return;
    }
    try {
      if (!pool.getQueue().offer(r, roomWait.toMillis(), TimeUnit.MILLISECONDS)) {
        long n = dropped.incrementAndGet();
        LOG.warnf("%s not sent: its lane stayed full for %s (%d dropped so far)", r, roomWait, n);
      } else if (pool.isShutdown() && pool.getQueue().remove(r)) {
        r.run(); // the lane stopped while the event went in: nobody else will send it
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.warnf("%s not sent: interrupted while its lane was full", r);
    }
  }

  /** Events dropped so far because their lane stayed full. */
  public long dropped() {
    return dropped.get();
  }

  /** Waits until every event emitted so far was sent (or {@code atMost} passed). */
  public boolean flush(Duration atMost) {
    long deadline = System.nanoTime() + atMost.toNanos();
    try {
      for (ThreadPoolExecutor lane : lanes) {
        if (lane.isShutdown()) {
          continue;
        }
        FutureTask<Void> marker = new FutureTask<>(() -> {}, null);
        if (!lane.getQueue().offer(marker, deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
          return false;
        }
        marker.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    }
  }

  /** Sends what is queued (for a few seconds at most), then stops the lanes. */
  @Override
  public void close() {
    flush(Duration.ofSeconds(5));
    lanes.forEach(ThreadPoolExecutor::shutdown); // what is still queued is sent
    int lost = 0;
    for (ThreadPoolExecutor lane : lanes) {
      try {
        if (!lane.awaitTermination(1, TimeUnit.SECONDS)) {
          lost += lane.shutdownNow().size();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        lost += lane.shutdownNow().size();
      }
    }
    if (lost > 0) {
      LOG.warnf("%d events not sent: the API server did not take them before shutdown", lost);
    }
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
    Runnable send = new Send(client, event); // the event alone, not the ModelDeployment
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

  /** One event to send; named in a warning when it is dropped. */
  private record Send(KubernetesClient client, Event event) implements Runnable {
    @Override
    public void run() {
      send(client, event);
    }

    @Override
    public String toString() {
      return "event "
          + event.getReason()
          + " on "
          + event.getMetadata().getNamespace()
          + "/"
          + event.getInvolvedObject().getName();
    }
  }

  private static void send(KubernetesClient client, Event event) {
    String ns = event.getMetadata().getNamespace();
    String name = event.getInvolvedObject().getName();
    try {
      client.v1().events().inNamespace(ns).resource(event).create();
    } catch (RuntimeException ex) {
      String why = ObjectWriter.why(ex);
      if (Failures.classify(ex) == Failures.Kind.GONE) { // expected while a namespace goes away
        LOG.debugf(
            "%s/%s: event %s not emitted, the namespace is terminating: %s",
            ns, name, event.getReason(), why);
      } else {
        LOG.warnf("could not emit event %s on %s/%s: %s", event.getReason(), ns, name, why);
      }
    }
  }

  private static String hostname() {
    String h = System.getenv("HOSTNAME");
    return h == null ? "local" : h;
  }
}
