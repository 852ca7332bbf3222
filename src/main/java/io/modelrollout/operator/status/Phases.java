package io.modelrollout.operator.status;

import io.modelrollout.operator.api.Condition;
import io.modelrollout.operator.api.Phase;
import java.util.List;

/** The phase and its message, from the conditions alone (pure), so the two always agree. */
public final class Phases {
  private Phases() {}

  /** A phase and the message of the condition that decided it. */
  public record Derived(Phase phase, String message) {}

  /**
   * The first that holds: Degraded by a rollback or abort is RolledBack; any other Degraded is
   * Degraded; Paused; Progressing while the first version starts is Initializing; Progressing;
   * Ready is Healthy; otherwise Progressing.
   */
  public static Derived of(List<Condition> conditions) {
    Condition degraded = Conditions.find(conditions, Condition.DEGRADED);
    if (isTrue(degraded)) {
      boolean rolledBack =
          Reasons.ROLLED_BACK.equals(degraded.reason) || Reasons.ABORTED.equals(degraded.reason);
      return new Derived(rolledBack ? Phase.RolledBack : Phase.Degraded, degraded.message);
    }
    Condition paused = Conditions.find(conditions, Condition.PAUSED);
    if (isTrue(paused)) {
      return new Derived(Phase.Paused, paused.message);
    }
    Condition progressing = Conditions.find(conditions, Condition.PROGRESSING);
    if (isTrue(progressing)) {
      boolean starting = Reasons.INITIALIZING.equals(progressing.reason);
      return new Derived(starting ? Phase.Initializing : Phase.Progressing, progressing.message);
    }
    Condition ready = Conditions.find(conditions, Condition.READY);
    if (isTrue(ready)) {
      return new Derived(Phase.Healthy, ready.message);
    }
    return new Derived(
        Phase.Progressing, ready != null ? ready.message : "waiting for the first reconcile");
  }

  private static boolean isTrue(Condition c) {
    return c != null && c.isTrue();
  }
}
