package io.modelrollout.operator.status;

import io.modelrollout.operator.api.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Sets conditions, keeping lastTransitionTime when a condition's status does not change. */
public final class Conditions {
  private Conditions() {}

  /** Returns {@code list} with the condition of {@code type} replaced or added. */
  public static List<Condition> set(
      List<Condition> list,
      String type,
      boolean value,
      String reason,
      String message,
      long generation,
      Instant now) {
    List<Condition> out = new ArrayList<>(list == null ? List.of() : list);
    Condition previous = find(out, type);
    Condition c = new Condition(type, value, reason, message);
    c.observedGeneration = generation;
    c.lastTransitionTime =
        previous != null && Objects.equals(previous.status, c.status)
            ? previous.lastTransitionTime
            : now.toString();
    out.removeIf(x -> type.equals(x.type));
    out.add(c);
    out.sort(java.util.Comparator.comparingInt(x -> ORDER.indexOf(x.type)));
    return out;
  }

  private static final List<String> ORDER =
      List.of(
          Condition.READY,
          Condition.PROGRESSING,
          Condition.DEGRADED,
          Condition.PAUSED,
          Condition.INVALID_SPEC,
          Condition.FRESH);

  public static Condition find(List<Condition> list, String type) {
    if (list == null) {
      return null;
    }
    return list.stream().filter(c -> type.equals(c.type)).findFirst().orElse(null);
  }

  public static boolean isTrue(List<Condition> list, String type) {
    Condition c = find(list, type);
    return c != null && c.isTrue();
  }
}
