package io.modelrollout.operator.testing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Model-server counters that grow while a test runs, served by a {@link TestExporter}: prediction
 * histograms per version (cumulative {@code le} buckets, {@code _count}, {@code _sum}) and A/B
 * counters (trials, successes) per variant. Increments are exact fractions, so the shape of a
 * distribution is what the test says, every tick (200 ms).
 */
public final class SimulatedTraffic implements AutoCloseable {
  private static final int TICKS_PER_SECOND = 5;
  private final TestExporter exporter;
  private final Map<String, Double> totals = new ConcurrentHashMap<>();
  private final Map<String, Double> perTick = new ConcurrentHashMap<>();
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();

  public SimulatedTraffic(TestExporter exporter) {
    this.exporter = exporter;
    ticker.scheduleAtFixedRate(this::tick, 0, 1000 / TICKS_PER_SECOND, TimeUnit.MILLISECONDS);
  }

  /** A counter growing by {@code perSecond}. */
  public SimulatedTraffic counter(String series, double perSecond) {
    totals.putIfAbsent(series, 0.0);
    perTick.put(series, perSecond / TICKS_PER_SECOND);
    return this;
  }

  /**
   * Predictions of one version: {@code perSecond} observations spread over buckets with upper
   * bounds {@code bounds} (then +Inf) in the given shares (one more than bounds, summing to 1).
   */
  public SimulatedTraffic histogram(
      String metric, String labels, double[] bounds, double[] shares, double perSecond) {
    double cumulative = 0;
    double sum = 0;
    for (int i = 0; i < shares.length; i++) {
      cumulative += shares[i];
      String le = i < bounds.length ? String.valueOf(bounds[i]) : "+Inf";
      counter(metric + "_bucket{" + labels + ",le=\"" + le + "\"}", perSecond * cumulative);
      double mid = i < bounds.length ? bounds[i] - 0.05 : bounds[bounds.length - 1];
      sum += shares[i] * mid;
    }
    counter(metric + "_count{" + labels + "}", perSecond);
    counter(metric + "_sum{" + labels + "}", perSecond * sum);
    return this;
  }

  /** An A/B variant: {@code perSecond} trials, a share {@code conversion} of them successes. */
  public SimulatedTraffic variant(
      String trials, String successes, String labels, double perSecond, double conversion) {
    counter(trials + "{" + labels + "}", perSecond);
    counter(successes + "{" + labels + "}", perSecond * conversion);
    return this;
  }

  private void tick() {
    perTick.forEach((series, inc) -> exporter.set(series, totals.merge(series, inc, Double::sum)));
  }

  @Override
  public void close() {
    ticker.shutdownNow();
  }
}
