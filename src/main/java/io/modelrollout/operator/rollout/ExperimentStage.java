package io.modelrollout.operator.rollout;

import io.modelrollout.operator.analysis.ExperimentEvaluator;
import io.modelrollout.operator.analysis.Measurement;
import io.modelrollout.operator.api.ABTestSpec;
import io.modelrollout.operator.api.Durations;
import io.modelrollout.operator.api.ExperimentStatus;
import io.modelrollout.operator.api.ExperimentStatus.Decision;
import io.modelrollout.operator.api.GateSpec;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.status.Reasons;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The A/B test stage: guardrails fail it at once; every interval the primary metrics are read for
 * both variants and {@link ExperimentEvaluator} decides. A win ends the stage (promotion, or a
 * pause when a person decides); a loss, no difference or an inconclusive end keeps control or waits
 * for a person; a sample-ratio mismatch invalidates the test and keeps control.
 */
final class ExperimentStage {
  static final String KEY_PREFIX = "ab/";

  private final RolloutSnapshot snapshot;
  private final Instant now;

  ExperimentStage(RolloutSnapshot snapshot, Instant now) {
    this.snapshot = snapshot;
    this.now = now;
  }

  StageRunner.Result run(
      ModelDeploymentStatus st, Stage.Experiment e, Instant started, StageRunner.Gates guard) {
    ABTestSpec ab = e.spec();
    ExperimentStatus ex = current(st, started);
    if (guard.failed() != null) {
      ex.decision = Decision.ControlWins;
      ex.message = "guardrail " + StageRunner.describeFailure(guard.failed());
      st.experiment = ex;
      return new StageRunner.Fail(Reasons.GATE_FAILED, ex.message);
    }
    if (ex.decision == Decision.Running && lookDue(ex, ab, started)) {
      Map<String, Measurement> m = measurements(ab);
      if (m.size() == ab.metrics.size()) {
        ex = ExperimentEvaluator.evaluate(ab, ex, m, started, now);
      }
    }
    st.experiment = ex;
    return switch (ex.decision) {
      case Running -> {
        Instant next = nextLook(ex, ab, started);
        if (guard.next() != null && guard.next().isBefore(next)) next = guard.next();
        yield new StageRunner.Wait(next);
      }
      case TreatmentWins -> new StageRunner.Done();
      case Invalid ->
          new StageRunner.Fail(Reasons.SAMPLE_RATIO_MISMATCH, "A/B test invalid: " + ex.message);
      default ->
          ab.onNoWinOrDefault() == ABTestSpec.OnNoWin.Manual
              ? new StageRunner.Wait(null)
              : new StageRunner.Fail(
                  Reasons.EXPERIMENT_DECIDED,
                  "A/B test " + ex.decision + ": " + ex.message + "; control kept");
    };
  }

  /** The metrics to read now, as gates the measurer understands. */
  List<GateSpec> due(ModelDeploymentStatus st, Stage.Experiment e, Instant started) {
    ExperimentStatus ex = current(st, started);
    ABTestSpec ab = e.spec();
    if (ex.decision != Decision.Running || !lookDue(ex, ab, started)) {
      return List.of();
    }
    long window = Math.max(1, Duration.between(started, now).toSeconds());
    List<GateSpec> out = new ArrayList<>();
    for (ABTestSpec.ABMetric m : ab.metrics) {
      GateSpec g = new GateSpec();
      g.name = KEY_PREFIX + m.name;
      g.prometheus = ab.prometheus;
      g.abMetric = m;
      g.abWindowSeconds = window;
      out.add(g);
    }
    return out;
  }

  /** The test of this stage: the one in status, or a fresh one when this stage started anew. */
  private ExperimentStatus current(ModelDeploymentStatus st, Instant started) {
    ExperimentStatus ex = st.experiment;
    if (ex != null
        && st.canary != null
        && st.canary.version.equals(ex.version)
        && started.toString().equals(ex.startedAt)) {
      return ex;
    }
    ExperimentStatus fresh = new ExperimentStatus();
    fresh.version = st.canary.version;
    fresh.startedAt = started.toString();
    fresh.decision = Decision.Running;
    fresh.looks = 0;
    fresh.message = "collecting data; the first look is after one interval";
    return fresh;
  }

  private Map<String, Measurement> measurements(ABTestSpec ab) {
    Map<String, Measurement> out = new LinkedHashMap<>();
    for (ABTestSpec.ABMetric m : ab.metrics) {
      Measurement x = snapshot.measurements().get(KEY_PREFIX + m.name);
      if (x != null) out.put(m.name, x);
    }
    return out;
  }

  private boolean lookDue(ExperimentStatus ex, ABTestSpec ab, Instant started) {
    return !nextLook(ex, ab, started).isAfter(now);
  }

  private static Instant nextLook(ExperimentStatus ex, ABTestSpec ab, Instant started) {
    Duration interval = Durations.parseOr(ab.interval, Duration.ofMinutes(1));
    Instant base = ex.evaluatedAt == null ? started : Instant.parse(ex.evaluatedAt);
    Instant next = base.plus(interval);
    Instant end = started.plus(Durations.parse(ab.maxDuration));
    // the fixed-horizon decision is taken at maxDuration, not up to an interval later
    return end.isAfter(base) && end.isBefore(next) ? end : next;
  }
}
