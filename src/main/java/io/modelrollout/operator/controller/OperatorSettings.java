package io.modelrollout.operator.controller;

import java.time.Duration;

/**
 * Operator-wide settings.
 *
 * @param defaultPrometheus the Prometheus address for gates that name none, or null
 * @param queryTimeout how long one Prometheus query may take
 * @param queryConcurrency Prometheus queries in flight at once, for all ModelDeployments
 * @param edgeEnabled the operator may watch and label nodes (mode Edge; MRO_EDGE_ENABLED)
 * @param statusFlushInterval at most one status write per ModelDeployment per this interval when
 *     only gate measurements changed (MRO_STATUS_FLUSH_INTERVAL; zero: every one at once)
 * @param defaultPrometheusToken a bearer token for the default Prometheus, or null
 *     (MRO_PROMETHEUS_TOKEN, the chart's prometheus.authSecret): sent by gates that name neither an
 *     address nor a secretRef, never to an address a gate names
 */
public record OperatorSettings(
    String defaultPrometheus,
    Duration queryTimeout,
    int queryConcurrency,
    boolean edgeEnabled,
    Duration statusFlushInterval,
    String defaultPrometheusToken) {
  public static final String FIELD_MANAGER = "model-rollout-operator";
  public static final int DEFAULT_QUERY_CONCURRENCY = 8;
  public static final Duration DEFAULT_STATUS_FLUSH = Duration.ofSeconds(10);

  public OperatorSettings(
      String defaultPrometheus,
      Duration queryTimeout,
      int queryConcurrency,
      boolean edgeEnabled,
      Duration statusFlushInterval) {
    this(defaultPrometheus, queryTimeout, queryConcurrency, edgeEnabled, statusFlushInterval, null);
  }

  public OperatorSettings(
      String defaultPrometheus, Duration queryTimeout, int queryConcurrency, boolean edgeEnabled) {
    this(defaultPrometheus, queryTimeout, queryConcurrency, edgeEnabled, DEFAULT_STATUS_FLUSH);
  }

  /** Settings without mode Edge (its node permissions are granted only on request). */
  public OperatorSettings(String defaultPrometheus, Duration queryTimeout, int queryConcurrency) {
    this(defaultPrometheus, queryTimeout, queryConcurrency, false);
  }

  public OperatorSettings(String defaultPrometheus, Duration queryTimeout) {
    this(defaultPrometheus, queryTimeout, DEFAULT_QUERY_CONCURRENCY);
  }
}
