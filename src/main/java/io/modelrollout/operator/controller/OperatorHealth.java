package io.modelrollout.operator.controller;

import io.javaoperatorsdk.operator.Operator;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the operator has started and every informer is healthy. */
@Readiness
@ApplicationScoped
public class OperatorHealth implements HealthCheck {
  private final OperatorRunner runner;

  public OperatorHealth(OperatorRunner runner) {
    this.runner = runner;
  }

  @Override
  public HealthCheckResponse call() {
    Operator op = runner.operator();
    var b = HealthCheckResponse.named("model-rollout-operator");
    if (op == null || !op.getRuntimeInfo().isStarted()) {
      return b.down().withData("reason", "not started").build();
    }
    if (!op.getRuntimeInfo().allEventSourcesAreHealthy()) {
      return b.down()
          .withData(
              "unhealthy", String.valueOf(op.getRuntimeInfo().unhealthyEventSources().keySet()))
          .build();
    }
    return b.up().build();
  }
}
