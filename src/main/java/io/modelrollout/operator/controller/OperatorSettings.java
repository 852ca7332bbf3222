package io.modelrollout.operator.controller;

import java.time.Duration;

/**
 * Operator-wide settings.
 *
 * @param defaultPrometheus the Prometheus address for gates that name none, or null
 * @param queryTimeout how long one Prometheus query may take
 * @param queryConcurrency Prometheus queries in flight at once, for all ModelDeployments
 */
public record OperatorSettings(
    String defaultPrometheus, Duration queryTimeout, int queryConcurrency) {
  public static final String FIELD_MANAGER = "model-rollout-operator";
  public static final int DEFAULT_QUERY_CONCURRENCY = 8;

  public OperatorSettings(String defaultPrometheus, Duration queryTimeout) {
    this(defaultPrometheus, queryTimeout, DEFAULT_QUERY_CONCURRENCY);
  }
}
