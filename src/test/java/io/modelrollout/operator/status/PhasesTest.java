package io.modelrollout.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelrollout.operator.api.Condition;
import io.modelrollout.operator.api.Phase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every combination of conditions has one phase, and the phase agrees with the conditions. */
class PhasesTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  record Combo(boolean ready, String progressing, String degraded, String paused) {}

  @Test
  void thePhaseAgreesWithTheConditionsInEveryCombination() {
    List<String> progressing =
        List.of(Reasons.IDLE, Reasons.INITIALIZING, Reasons.SCALING, Reasons.ROLLOUT_IN_PROGRESS);
    List<String> degraded =
        List.of(
            Reasons.HEALTHY,
            Reasons.ROLLED_BACK,
            Reasons.ABORTED,
            Reasons.STABLE_FAILING,
            Reasons.INVALID_SPEC,
            Reasons.RECONCILE_FAILED);
    List<String> paused =
        List.of(
            Reasons.NOT_PAUSED,
            Reasons.USER_PAUSED,
            Reasons.PAUSE_STEP,
            Reasons.GATE_INCONCLUSIVE,
            Reasons.SCALED_TO_ZERO);
    int combos = 0;
    for (boolean ready : List.of(true, false)) {
      for (String p : progressing) {
        for (String d : degraded) {
          for (String z : paused) {
            List<Condition> c = conditions(ready, p, d, z);
            Phases.Derived phase = Phases.of(c);
            check(new Combo(ready, p, d, z), phase);
            combos++;
          }
        }
      }
    }
    assertThat(combos).isEqualTo(240);
  }

  private static void check(Combo c, Phases.Derived d) {
    boolean degradedTrue = !c.degraded().equals(Reasons.HEALTHY);
    boolean pausedTrue = !c.paused().equals(Reasons.NOT_PAUSED);
    boolean progressingTrue = !c.progressing().equals(Reasons.IDLE);
    String what = c.toString();
    switch (d.phase()) {
      case RolledBack ->
          assertThat(c.degraded()).as(what).isIn(Reasons.ROLLED_BACK, Reasons.ABORTED);
      case Degraded ->
          assertThat(c.degraded())
              .as(what)
              .isIn(Reasons.STABLE_FAILING, Reasons.INVALID_SPEC, Reasons.RECONCILE_FAILED);
      case Paused -> assertThat(pausedTrue && !degradedTrue).as(what).isTrue();
      case Initializing ->
          assertThat(c.progressing().equals(Reasons.INITIALIZING) && !pausedTrue && !degradedTrue)
              .as(what)
              .isTrue();
      case Progressing -> assertThat(!degradedTrue && !pausedTrue).as(what).isTrue();
      case Healthy ->
          assertThat(c.ready() && !progressingTrue && !degradedTrue && !pausedTrue)
              .as(what)
              .isTrue();
    }
    if (degradedTrue) {
      assertThat(d.phase()).as(what).isIn(Phase.RolledBack, Phase.Degraded);
      assertThat(d.message()).as("the message is the deciding condition's").isEqualTo(c.degraded());
    } else if (pausedTrue) {
      assertThat(d.message()).isEqualTo(c.paused());
    }
  }

  private static List<Condition> conditions(
      boolean ready, String progressing, String degraded, String paused) {
    List<Condition> c = new ArrayList<>();
    c = Conditions.set(c, Condition.READY, ready, "r", "ready", 1, NOW);
    c =
        Conditions.set(
            c,
            Condition.PROGRESSING,
            !progressing.equals(Reasons.IDLE),
            progressing,
            progressing,
            1,
            NOW);
    c =
        Conditions.set(
            c, Condition.DEGRADED, !degraded.equals(Reasons.HEALTHY), degraded, degraded, 1, NOW);
    c =
        Conditions.set(
            c, Condition.PAUSED, !paused.equals(Reasons.NOT_PAUSED), paused, paused, 1, NOW);
    return c;
  }
}
