package io.modelrollout.operator.controller;

import java.time.Duration;

/**
 * Operator-wide settings.
 *
 * @param defaultPrometheus the Prometheus address for gates that name none, or null
 * @param queryTimeout how long one Prometheus query may take
 */
public record OperatorSettings(String defaultPrometheus, Duration queryTimeout) {
  public static final String FIELD_MANAGER = "model-rollout-operator";
}
