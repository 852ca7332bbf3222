package io.modelrollout.operator.install;

import java.util.List;

/**
 * The metrics the operator exports on /q/metrics, as the README documents them: its own
 * (controller/RolloutMetrics) and those of the Java Operator SDK's Micrometer support.
 */
final class OperatorMetrics {
  /** Present once a canary with a gate has been promoted (HelmInstallIT scrapes for them). */
  static final List<String> AFTER_A_PROMOTION =
      List.of(
          "modelrollout_phase",
          "modelrollout_canary_weight",
          "modelrollout_stable_weight",
          "modelrollout_step_index",
          "modelrollout_reconciles_total",
          "modelrollout_events_dropped_total",
          "modelrollout_promotions_total",
          "modelrollout_gate_evaluations_total",
          "modelrollout_gate_value",
          "modelrollout_gate_threshold",
          "modelrollout_gate_lag_seconds_bucket",
          "modelrollout_gate_lag_seconds_count",
          "modelrollout_gate_lag_seconds_sum",
          "modelrollout_gate_lag_seconds_max",
          "modelrollout_rollout_duration_seconds_count",
          "modelrollout_rollout_duration_seconds_sum",
          "modelrollout_rollout_duration_seconds_max",
          "operator_sdk_controllers_execution_reconcile_success_total",
          "operator_sdk_controllers_execution_reconcile_seconds",
          "operator_sdk_controllers_execution_reconcile_seconds_count",
          "operator_sdk_controllers_execution_reconcile_seconds_sum",
          "operator_sdk_reconciliations_started_total",
          "operator_sdk_reconciliations_success_total",
          "operator_sdk_reconciliations_queue_size_modeldeployment",
          "operator_sdk_reconciliations_executions_modeldeployment",
          "operator_sdk_events_received_total");

  /** Present after a rollback. */
  static final List<String> AFTER_A_ROLLBACK = List.of("modelrollout_rollbacks_total");

  /** Present once an A/B test has been decided (not in HelmInstallIT's rollouts). */
  static final List<String> AFTER_AN_EXPERIMENT =
      List.of("modelrollout_experiment_decisions_total");

  /** Appear only when something goes wrong: an abort, a reconcile that throws. */
  static final List<String> ON_FAILURE =
      List.of(
          "modelrollout_aborts_total",
          "modelrollout_reconcile_errors_total",
          "operator_sdk_reconciliations_failed_total",
          "operator_sdk_controllers_execution_reconcile_failure_total");

  /** Series Prometheus itself adds to every scrape target. */
  static final List<String> FROM_PROMETHEUS = List.of("up");

  static List<String> all() {
    return java.util.stream.Stream.of(
            AFTER_A_PROMOTION, AFTER_A_ROLLBACK, AFTER_AN_EXPERIMENT, ON_FAILURE)
        .flatMap(List::stream)
        .toList();
  }

  private OperatorMetrics() {}
}
