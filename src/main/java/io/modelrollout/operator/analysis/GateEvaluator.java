package io.modelrollout.operator.analysis;

import io.modelrollout.operator.api.GateSpec;
import io.modelrollout.operator.api.GateStatus;
import io.modelrollout.operator.api.Verdict;
import java.time.Instant;
import java.util.Locale;

/**
 * Turns a measurement into a gate verdict (pure). Counters live in the gate's status, so a
 * restarted operator continues where it stopped: a gate passes after {@code count} good
 * measurements, fails after more than {@code failureLimit} bad ones, and is inconclusive while data
 * is missing; more than {@code inconclusiveLimit} inconclusive measurements in a row (when the
 * limit is above 0) fail it.
 */
public final class GateEvaluator {
  private GateEvaluator() {}

  /** The gate's new status after {@code m}, taken at {@code now}. */
  public static GateStatus evaluate(
      GateSpec gate, GateStatus previous, Measurement m, Instant now) {
    return evaluate(gate, previous, m, now, 0);
  }

  /**
   * As {@link #evaluate(GateSpec, GateStatus, Measurement, Instant)}; a comparison with fewer than
   * {@code minSamples} predictions of the new revision counts neither way (the gate waits).
   */
  public static GateStatus evaluate(
      GateSpec gate, GateStatus previous, Measurement m, Instant now, int minSamples) {
    GateStatus s = copy(gate, previous);
    s.measuredAt = now.toString();
    s.query = m.query();
    s.threshold = threshold(gate, m);
    Outcome outcome = classify(gate, m, s, minSamples);
    switch (outcome) {
      case WAIT -> {
        s.inconclusives = 0;
        if (s.verdict != Verdict.Pass) {
          s.verdict = Verdict.Pending;
        }
      }
      case PASS -> {
        s.successes++;
        s.inconclusives = 0;
        s.verdict = s.successes >= gate.countOrDefault() ? Verdict.Pass : Verdict.Pending;
      }
      case FAIL -> {
        s.failures++;
        s.inconclusives = 0;
        s.verdict = s.failures > gate.failureLimitOrDefault() ? Verdict.Fail : Verdict.Pending;
      }
      case INCONCLUSIVE -> {
        s.inconclusives++;
        int limit = gate.inconclusiveLimitOrDefault();
        if (limit > 0 && s.inconclusives > limit) {
          s.verdict = Verdict.Fail;
          s.message = "inconclusive " + s.inconclusives + " times in a row: " + s.message;
        } else {
          s.verdict = Verdict.Inconclusive;
        }
      }
    }
    return s;
  }

  /**
   * Whether a comparison gate's last measurement counted neither way because the new revision had
   * fewer than {@code minSamples} predictions (and it has not passed before).
   */
  public static boolean waitingForSamples(GateStatus s, int minSamples) {
    return s != null
        && s.verdict == Verdict.Pending
        && s.comparison != null
        && s.comparison.canarySamples != null
        && s.comparison.canarySamples < minSamples;
  }

  /** A fresh status for a gate that has not been measured at this stage. */
  public static GateStatus pending(GateSpec gate) {
    GateStatus s = new GateStatus();
    s.name = gate.name;
    s.verdict = Verdict.Pending;
    s.successes = 0;
    s.failures = 0;
    s.inconclusives = 0;
    s.threshold = threshold(gate, null);
    return s;
  }

  private enum Outcome {
    PASS,
    FAIL,
    INCONCLUSIVE,
    WAIT
  }

  private static Outcome classify(GateSpec gate, Measurement m, GateStatus s, int minSamples) {
    if (m instanceof Measurement.Distributions d && gate.comparison != null) {
      Comparisons.Result r = Comparisons.evaluate(gate.comparison, d);
      s.comparison = r.status();
      s.value = Double.isNaN(r.value()) || Double.isInfinite(r.value()) ? null : r.value();
      long samples = r.status().canarySamples == null ? 0 : r.status().canarySamples;
      if (samples < minSamples) {
        s.message = "waiting for samples: " + samples + " of " + minSamples + " predictions";
        return Outcome.WAIT;
      }
      if (!r.defined()) {
        s.message =
            "the comparison is undefined (stable "
                + r.status().stableSamples
                + ", new revision "
                + samples
                + " predictions)";
        return Outcome.INCONCLUSIVE;
      }
      s.message = r.pass() ? null : "outside " + s.threshold;
      return r.pass() ? Outcome.PASS : Outcome.FAIL;
    }
    if (m instanceof Measurement.Distributions || m instanceof Measurement.Samples) {
      s.message = "unexpected measurement for gate " + gate.name;
      return Outcome.INCONCLUSIVE;
    }
    if (m instanceof Measurement.Value v) {
      s.value = v.value();
      if (Double.isNaN(v.value()) || Double.isInfinite(v.value())) {
        s.message = "the query returned " + v.value();
        return Outcome.INCONCLUSIVE;
      }
      if (gate.compareTo != null && v.baseline() == null) {
        s.message = "no value for the stable revision to compare with";
        return Outcome.INCONCLUSIVE;
      }
      boolean ok = Thresholds.within(gate, v.value(), v.baseline());
      s.message = ok ? null : "value " + fmt(v.value()) + " is outside " + s.threshold;
      return ok ? Outcome.PASS : Outcome.FAIL;
    }
    if (m instanceof Measurement.NoData nd) {
      s.value = null;
      s.message = "no data: " + nd.message();
      return switch (gate.noDataOrDefault()) {
        case Pass -> Outcome.PASS;
        case Fail -> Outcome.FAIL;
        case Inconclusive -> Outcome.INCONCLUSIVE;
      };
    }
    Measurement.Error e = (Measurement.Error) m;
    s.value = null;
    s.message = e.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + e.message();
    return Outcome.INCONCLUSIVE;
  }

  private static String threshold(GateSpec gate, Measurement m) {
    if (gate.comparison != null) {
      return Comparisons.describe(gate.comparison);
    }
    Double baseline = m instanceof Measurement.Value v ? v.baseline() : null;
    return Thresholds.describe(gate, baseline);
  }

  static String fmt(double v) {
    return Thresholds.fmt(v);
  }

  private static GateStatus copy(GateSpec gate, GateStatus p) {
    GateStatus s = p == null ? pending(gate) : new GateStatus();
    if (p != null) {
      s.name = p.name;
      s.verdict = p.verdict;
      s.value = p.value;
      s.threshold = p.threshold;
      s.successes = p.successes == null ? 0 : p.successes;
      s.failures = p.failures == null ? 0 : p.failures;
      s.inconclusives = p.inconclusives == null ? 0 : p.inconclusives;
      s.measuredAt = p.measuredAt;
      s.query = p.query;
      s.message = p.message;
      s.comparison = p.comparison;
    }
    return s;
  }
}
