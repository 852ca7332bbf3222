package io.modelrollout.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.status.StatusEvents;
import io.modelrollout.operator.support.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An operator restart reconciles again from status alone. At every step of a full canary (and a
 * rollback), a second reconcile with the same world changes nothing and emits no event.
 */
class RestartEngineTest {
  @Test
  void aRepeatedReconcileAtEveryStepOfACanaryIsANoOp() {
    World w = new World(CanaryEngineTest.policy(0));
    List<String> phases = new ArrayList<>();
    Runnable check = () -> assertRepeatIsNoOp(w, phases);
    check.run(); // Initializing
    w.podsReady();
    check.run(); // Healthy
    w.version = "2.0.0";
    w.gateValues.put("errors", 0.0);
    check.run(); // setWeight 25
    w.podsReady();
    check.run(); // pause 1m
    w.advance(Duration.ofMinutes(1));
    check.run(); // analysis, one good measurement
    w.advance(Duration.ofSeconds(1));
    check.run(); // setWeight 50
    w.podsReady();
    check.run(); // pause until promoted
    w.action = "promote";
    check.run(); // promote: the canary scales up
    for (int i = 0; i < 3 && w.status().canary != null; i++) {
      w.podsReady();
      check.run(); // stable shrinks as canary pods become ready, then promoted
    }
    assertThat(w.status().canary).isNull();
    w.podsReady(); // promoted with maxUnavailable 1: the last pod arrives after
    w.advance(Duration.ofSeconds(2));
    check.run(); // old revision scaled down
    assertThat(phases)
        .containsSubsequence(
            "Initializing", "Healthy", "Progressing", "Paused", "Progressing", "Healthy");
  }

  @Test
  void aRepeatedReconcileAfterARollbackIsANoOp() {
    World w = new World(CanaryEngineTest.policy(1));
    List<String> phases = new ArrayList<>();
    w.step();
    w.podsReady();
    w.step();
    w.version = "2.0.0";
    w.step();
    w.podsReady();
    w.step();
    w.advance(Duration.ofMinutes(1));
    w.step();
    w.gateValues.put("errors", 1.0);
    assertRepeatIsNoOp(w, phases);
    assertThat(phases).containsExactly("RolledBack");
  }

  private static void assertRepeatIsNoOp(World w, List<String> phases) {
    w.step(); // the world follows this decision: pods are scaled, and stay as they are now
    RolloutDecision first = w.step();
    ModelDeploymentStatus before = first.status();
    RolloutDecision again = w.step();
    assertThat(Json.canonical(again.status())).isEqualTo(Json.canonical(before));
    assertThat(StatusEvents.between(before, again.status())).isEmpty();
    assertThat(again.replicas()).isEqualTo(first.replicas());
    assertThat(again.canaryWeight()).isEqualTo(first.canaryWeight());
    phases.add(before.phase.name());
  }
}
