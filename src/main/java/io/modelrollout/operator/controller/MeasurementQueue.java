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
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Gate queries run here, never on a reconcile thread: a bounded pool of query threads. A reconcile
 * that needs a measurement starts it and goes on; when the measurement completes, the
 * ModelDeployment is reconciled again and takes it. A query that hangs past its timeout (plus a
 * grace) completes as a timeout, so it holds one query thread at most that long and no reconcile at
 * all.
 */
public final class MeasurementQueue implements AutoCloseable {
  static final Duration GRACE = Duration.ofSeconds(5);

  /**
   * One measurement to take.
   *
   * @param key what makes it this measurement (revision, stage, gate, round): a new key is a new
   *     query, a known one waits for or returns its result
   */
  public record Job(String gate, String key, Duration timeout, Supplier<Measurement> query) {}

  private record InFlight(String gate, CompletableFuture<Measurement> result) {}

  private final ExecutorService pool;
  private final MeasurementEvents events;
  private final Map<ResourceID, Map<String, InFlight>> inFlight = new ConcurrentHashMap<>();

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
    this.events = events;
  }

  /**
   * The measurements of {@code jobs} that are ready, by gate; starts those not started yet. Jobs no
   * longer asked for are forgotten (their results are never used).
   */
  public Map<String, Measurement> collect(ResourceID id, List<Job> jobs) {
    Map<String, InFlight> mine = inFlight.computeIfAbsent(id, k -> new ConcurrentHashMap<>());
    Set<String> asked = jobs.stream().map(Job::key).collect(Collectors.toSet());
    mine.keySet().retainAll(asked);
    Map<String, Measurement> ready = new LinkedHashMap<>();
    for (Job job : jobs) {
      InFlight f = mine.get(job.key());
      if (f == null) {
        mine.put(job.key(), new InFlight(job.gate(), start(id, job)));
      } else if (f.result().isDone()) {
        ready.put(job.gate(), f.result().join());
        mine.remove(job.key());
      }
    }
    if (mine.isEmpty()) {
      inFlight.remove(id, mine);
    }
    return ready;
  }

  /** Forgets a ModelDeployment that is gone. */
  public void forget(ResourceID id) {
    inFlight.remove(id);
  }

  /** Queries started and not yet taken, for all ModelDeployments. */
  public int pending() {
    return inFlight.values().stream().mapToInt(Map::size).sum();
  }

  private CompletableFuture<Measurement> start(ResourceID id, Job job) {
    Duration limit = job.timeout().plus(GRACE);
    return CompletableFuture.supplyAsync(job.query(), pool)
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
        .whenComplete((m, e) -> events.measured(id));
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
