package io.modelrollout.operator.analysis;

import io.modelrollout.operator.api.Durations;
import io.modelrollout.operator.api.GateSpec;
import io.modelrollout.operator.api.GateStatus;
import io.modelrollout.operator.api.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** When a gate is next measured (pure): after initialDelay, then every interval, until final. */
public final class GateSchedule {
  private GateSchedule() {}

  /** The instant the gate is due, or empty when its verdict is final (Pass or Fail). */
  public static Optional<Instant> nextDue(GateSpec gate, GateStatus status, Instant stageStart) {
    return nextDue(gate, status, stageStart, null);
  }

  /**
   * As {@link #nextDue(GateSpec, GateStatus, Instant)}, but a passed gate keeps being measured
   * every interval before {@code keepMeasuringUntil} (a shadow's duration, an A/B test's
   * guardrails), so a later bad measurement still fails it.
   */
  public static Optional<Instant> nextDue(
      GateSpec gate, GateStatus status, Instant stageStart, Instant keepMeasuringUntil) {
    if (status != null && status.verdict == Verdict.Pass && keepMeasuringUntil != null) {
      Instant next = Instant.parse(status.measuredAt).plus(interval(gate));
      return next.isBefore(keepMeasuringUntil) ? Optional.of(next) : Optional.empty();
    }
    if (status != null && (status.verdict == Verdict.Pass || status.verdict == Verdict.Fail)) {
      return Optional.empty();
    }
    if (status == null || status.measuredAt == null) {
      return Optional.of(stageStart.plus(Durations.parseOr(gate.initialDelay, Duration.ZERO)));
    }
    return Optional.of(Instant.parse(status.measuredAt).plus(interval(gate)));
  }

  private static Duration interval(GateSpec gate) {
    return Durations.parseOr(gate.interval, Duration.ofSeconds(30));
  }

  /** Whether the gate should be measured at {@code now}. */
  public static boolean isDue(GateSpec gate, GateStatus status, Instant stageStart, Instant now) {
    return isDue(gate, status, stageStart, now, null);
  }

  /** Whether the gate should be measured at {@code now}, measuring passed gates until a time. */
  public static boolean isDue(
      GateSpec gate, GateStatus status, Instant stageStart, Instant now, Instant keepUntil) {
    return nextDue(gate, status, stageStart, keepUntil).map(t -> !t.isAfter(now)).orElse(false);
  }

  /** The gate's status in a list by name, or null. */
  public static GateStatus find(List<GateStatus> statuses, String name) {
    if (statuses == null) {
      return null;
    }
    return statuses.stream().filter(g -> name.equals(g.name)).findFirst().orElse(null);
  }
}
