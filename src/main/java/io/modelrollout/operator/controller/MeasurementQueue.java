package io.modelrollout.operator.controller;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.modelrollout.operator.analysis.Measurement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Gate queries run here, never on a reconcile thread: a bounded pool of query threads. A reconcile
 * that needs a measurement starts it and goes on; when the measurement completes, the
 * ModelDeployment is reconciled again and takes it. A measurement may also be scheduled ahead, at
 * the instant its gate comes due ({@link #schedule}): then its answer, not a timer, starts the
 * reconcile that takes it, and a measurement costs one reconcile instead of two. A query that hangs
 * past its timeout (plus a grace) completes as a timeout, so it holds one query thread at most that
 * long and no reconcile at all.
 */
public final class MeasurementQueue implements AutoCloseable {
  static final Duration GRACE = Duration.ofSeconds(5);

  /** A scheduled measurement starts this long after its due time: never before the gate is due. */
  static final Duration AFTER_DUE = Duration.ofMillis(5);

  /**
   * One measurement to take.
   *
   * @param key what makes it this measurement (revision, stage, gate, round): a new key is a new
   *     query, a known one waits for or returns its result
   */
  public record Job(String gate, String key, Duration timeout, Supplier<Measurement> query) {}

  /** A measurement asked for or scheduled; started at most once. */
  private static final class InFlight {
    final Job job;
    final CompletableFuture<Measurement> result = new CompletableFuture<>();
    final AtomicBoolean started = new AtomicBoolean();
    volatile ScheduledFuture<?> timer;

    InFlight(Job job) {
      this.job = job;
    }

    void cancel() {
      ScheduledFuture<?> t = timer;
      if (t != null) {
        t.cancel(false);
      }
    }
  }

  private final ExecutorService pool;
  private final ScheduledExecutorService timers;
  private final MeasurementEvents events;
  private final Map<ResourceID, Map<String, InFlight>> inFlight = new ConcurrentHashMap<>();
  private static final int MAX_GONE = 10_000;
  private final Map<ResourceID, String> gone = new ConcurrentHashMap<>(); // id -> uid deleted

  public MeasurementQueue(int concurrency, MeasurementEvents events) {
    AtomicInteger n = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            concurrency,
            concurrency,
            60,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "gate-query-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    ScheduledThreadPoolExecutor t =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread th = new Thread(r, "gate-timer");
              th.setDaemon(true);
              return th;
            });
    t.setRemoveOnCancelPolicy(true); // a cancelled schedule holds no memory until its time
    this.timers = t;
    this.events = events;
  }

  /**
   * The measurements of {@code jobs} that are ready, by gate; starts those not started yet (a
   * scheduled one too, if its time has not come). Jobs no longer asked for are forgotten (their
   * results are never used, their schedules cancelled).
   */
  public Map<String, Measurement> collect(ResourceID id, List<Job> jobs) {
    Map<String, InFlight> mine = inFlight.computeIfAbsent(id, k -> new ConcurrentHashMap<>());
    Set<String> asked = jobs.stream().map(Job::key).collect(Collectors.toSet());
    mine.entrySet()
        .removeIf(
            e -> {
              if (asked.contains(e.getKey())) {
                return false;
              }
              e.getValue().cancel();
              return true;
            });
    Map<String, Measurement> ready = new LinkedHashMap<>();
    for (Job job : jobs) {
      InFlight f = mine.get(job.key());
      if (f == null) {
        f = new InFlight(job);
        mine.put(job.key(), f);
        start(id, f);
      } else if (f.result.isDone()) {
        ready.put(job.gate(), f.result.join());
        mine.remove(job.key());
      } else {
        start(id, f); // scheduled for later, asked for now: now (a no-op when started)
      }
    }
    if (mine.isEmpty()) {
      inFlight.remove(id, mine);
    }
    return ready;
  }

  /**
   * Schedules {@code job} to start in {@code delay} (plus {@link #AFTER_DUE}), unless a measurement
   * with its key is known already, or the ModelDeployment ({@code uid}) is gone.
   */
  public void schedule(ResourceID id, String uid, Job job, Duration delay) {
    if (uid != null && uid.equals(gone.get(id))) {
      return; // a reconcile that ran on as it was deleted
    }
    Map<String, InFlight> mine = inFlight.computeIfAbsent(id, k -> new ConcurrentHashMap<>());
    if (mine.containsKey(job.key())) {
      return;
    }
    InFlight f = new InFlight(job);
    mine.put(job.key(), f);
    try {
      f.timer =
          timers.schedule(
              () -> start(id, f), delay.plus(AFTER_DUE).toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      mine.remove(job.key(), f); // closing: the next reconcile asks for it
    }
  }

  /** Forgets a ModelDeployment that is gone; nothing is scheduled for it ({@code uid}) again. */
  public void forget(ResourceID id, String uid) {
    if (uid != null) {
      if (gone.size() >= MAX_GONE) {
        gone.clear(); // a bound, not an eviction policy: the race it guards against is short
      }
      gone.put(id, uid);
    }
    Map<String, InFlight> mine = inFlight.remove(id);
    if (mine != null) {
      mine.values().forEach(InFlight::cancel);
    }
  }

  /** Queries started and not yet taken, for all ModelDeployments. */
  public int pending() {
    return (int)
        inFlight.values().stream()
            .flatMap(m -> m.values().stream())
            .filter(f -> f.started.get())
            .count();
  }

  /** Measurements scheduled and not started yet, for all ModelDeployments. */
  int scheduled() {
    return (int)
        inFlight.values().stream()
            .flatMap(m -> m.values().stream())
            .filter(f -> !f.started.get())
            .count();
  }

  private void start(ResourceID id, InFlight f) {
    if (!f.started.compareAndSet(false, true)) {
      return;
    }
    f.cancel();
    Job job = f.job;
    Duration limit = job.timeout().plus(GRACE);
    CompletableFuture.supplyAsync(job.query(), pool)
        .completeOnTimeout(
            new Measurement.Error(
                Measurement.ErrorKind.TIMEOUT,
                "no answer within " + limit.toSeconds() + "s",
                job.gate()),
            limit.toMillis(),
            TimeUnit.MILLISECONDS)
        .exceptionally(
            e ->
                new Measurement.Error(
                    Measurement.ErrorKind.QUERY_ERROR,
                    e.getCause() != null ? String.valueOf(e.getCause()) : String.valueOf(e),
                    job.gate()))
        .whenComplete(
            (m, e) -> {
              f.result.complete(m);
              events.measured(id);
            });
  }

  @Override
  public void close() {
    timers.shutdownNow();
    pool.shutdownNow();
  }
}
