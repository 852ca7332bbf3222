package io.modelrollout.operator.rollout;

import io.modelrollout.operator.analysis.GateEvaluator;
import io.modelrollout.operator.analysis.GateSchedule;
import io.modelrollout.operator.analysis.Measurement;
import io.modelrollout.operator.api.Durations;
import io.modelrollout.operator.api.GateSpec;
import io.modelrollout.operator.api.GateStatus;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.api.Verdict;
import io.modelrollout.operator.status.Reasons;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Decides whether the current stage is done, must wait (until when), or rolls back. */
final class StageRunner {
  /** The result of running a stage once. */
  sealed interface Result {}

  /** The stage is complete. */
  record Done() implements Result {}

  /** Not yet; look again at {@code until} (null: when something changes). */
  record Wait(Instant until) implements Result {}

  /** The stage's weight goes into force with this reconcile; the stage ends on the next one. */
  record Settle() implements Result {}

  /** The stage failed: roll back with this reason. */
  record Fail(String reason, String message) implements Result {}

  private final RolloutSnapshot snapshot;
  private final RolloutPlan plan;
  private final Placement placement;
  private final Instant now;
  private final Instant gateNow; // to the millisecond: each gate keeps its own beat
  private final Duration progressDeadline;
  private final int previousWeight;

  /**
   * @param previousWeight the canary weight in force before this reconcile
   */
  StageRunner(
      RolloutSnapshot snapshot,
      RolloutPlan plan,
      Instant now,
      Duration progressDeadline,
      int previousWeight) {
    this(snapshot, plan, now, now, progressDeadline, previousWeight);
  }

  /**
   * As above, with gates measured and scheduled at {@code exact} (to the millisecond) rather than
   * at the whole second: a gate's next measurement is due one interval after its last one, so gates
   * that started in the same second spread over it instead of all coming due at its start.
   */
  StageRunner(
      RolloutSnapshot snapshot,
      RolloutPlan plan,
      Instant now,
      Instant exact,
      Duration progressDeadline,
      int previousWeight) {
    this.snapshot = snapshot;
    this.plan = plan;
    this.placement = new Placement(snapshot, plan);
    this.now = now;
    this.gateNow = exact.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    this.progressDeadline = progressDeadline;
    this.previousWeight = previousWeight;
    this.experiments = new ExperimentStage(snapshot, now);
  }

  private final ExperimentStage experiments;

  Result run(ModelDeploymentStatus st, int index, boolean forced) {
    Stage stage = plan.stage(index);
    Instant started = Instant.parse(st.stepStartedAt);
    if (stage instanceof Stage.Pause p) {
      if (forced) return new Done();
      if (p.duration() == null) return new Wait(null);
      Instant end = started.plus(p.duration());
      return now.isBefore(end) ? new Wait(end) : new Done();
    }
    if (stage instanceof Stage.Analysis a) {
      return forced ? new Done() : analyse(st, a, started);
    }
    if (stage instanceof Stage.Experiment e) {
      return forced ? new Done() : experiments.run(st, e, started, gateSummary(st, e, started));
    }
    if (stage instanceof Stage.Mirror || stage instanceof Stage.HeaderRoute) {
      return new Done(); // the route carries it from this reconcile on
    }
    return scaled(st, stage, index, started, forced);
  }

  /**
   * Weight, preview, switch and promote stages: done once the stage's weight is in force (the ready
   * pods of both sides carry it) and the canary has a ready pod; a preview once the canary has its
   * pods.
   */
  private Result scaled(
      ModelDeploymentStatus st, Stage stage, int index, Instant started, boolean forced) {
    if (forced && !(stage instanceof Stage.Promote)) {
      return new Done();
    }
    RolloutPlan.Target target = plan.target(index);
    int ready = snapshot.readyOf(st.canary.revision);
    int want = placement.canaryGoal(index);
    boolean done;
    if (target.canaryPods() != null) {
      done = ready >= target.canaryPods();
    } else {
      int weight = placement.weight(st.stable, st.canary, index, previousWeight);
      done = weight == target.weight() && ready >= Math.max(1, minReady(target.weight()));
      if (done && previousWeight != weight) {
        // a step's weight is routed, and its step recorded, before the next step begins: no
        // weight and no StepAdvanced event is skipped (the last step's 100 before promotion too)
        return new Settle();
      }
    }
    if (done) {
      return new Done();
    }
    Instant deadline = started.plus(progressDeadline);
    if (!now.isBefore(deadline)) {
      return new Fail(
          Reasons.PROGRESS_DEADLINE_EXCEEDED, deadlineMessage(st, stage, index, ready, want));
    }
    return new Wait(deadline);
  }

  private int minReady(int weight) {
    return placement.capacity().minReady(weight);
  }

  private String deadlineMessage(
      ModelDeploymentStatus st, Stage stage, int index, int ready, int want) {
    String after = io.modelrollout.operator.api.Durations.format(progressDeadline);
    int weight = plan.target(index).weight();
    int stableReady = snapshot.readyOf(st.stable.revision);
    int stableNeeds = minReady(100 - weight);
    if (ready >= want && stableReady < stableNeeds) {
      return String.format(
          "the stable version %s had %d ready pods at step '%s' after %s; %d needed to take %d%%"
              + " of the traffic",
          st.stable.version, stableReady, stage.describe(), after, stableNeeds, 100 - weight);
    }
    return String.format(
        "version %s had %d/%d ready pods at step '%s' after %s",
        st.canary.version, ready, want, stage.describe(), after);
  }

  /** What the gates of a stage say after this reconcile's measurements. */
  record Gates(GateStatus failed, boolean allPass, Instant next) {}

  private Result analyse(ModelDeploymentStatus st, Stage.Analysis a, Instant started) {
    Instant end = a.minDuration() == null ? null : started.plus(a.minDuration());
    Gates g = gates(st, a.gates(), started, a.minSamples(), end);
    if (g.failed() != null) {
      return new Fail(Reasons.GATE_FAILED, describeFailure(g.failed()));
    }
    if (g.allPass() && (end == null || !now.isBefore(end))) {
      return new Done();
    }
    Instant next = g.next();
    if (end != null && a.minSamples() > 0) {
      // a shadow short of predictions ends: at duration + progressDeadline it is inconclusive
      List<GateStatus> starved =
          st.gates.stream()
              .filter(x -> GateEvaluator.waitingForSamples(x, a.minSamples()))
              .toList();
      Instant deadline = end.plus(progressDeadline);
      if (!starved.isEmpty() && !now.isBefore(deadline)) {
        return tooFewSamples(starved, a);
      }
      if (!starved.isEmpty() && (next == null || deadline.isBefore(next))) {
        next = deadline;
      }
    }
    if (end != null && now.isBefore(end) && (next == null || end.isBefore(next))) {
      next = end;
    }
    return new Wait(next);
  }

  /**
   * Fails the gates that never saw {@code minSamples} predictions of the new revision by the end of
   * the shadow's duration plus the progress deadline: the comparison cannot be made, so the shadow
   * is inconclusive and rolled back rather than mirroring for ever.
   */
  private Result tooFewSamples(List<GateStatus> starved, Stage.Analysis a) {
    String after =
        "the shadow's duration "
            + Durations.format(a.minDuration())
            + " and progressDeadline "
            + Durations.format(progressDeadline);
    List<String> parts = new ArrayList<>();
    for (GateStatus gs : starved) {
      long samples = gs.comparison.canarySamples;
      String why = "too few samples: " + samples + " of " + a.minSamples() + " predictions";
      gs.verdict = Verdict.Fail;
      gs.value = null;
      gs.message = why + " of the new revision after " + after;
      parts.add("gate " + gs.name + " had " + why);
    }
    return new Fail(
        Reasons.GATE_INCONCLUSIVE,
        "shadow inconclusive: "
            + String.join("; ", parts)
            + " of the new revision after "
            + after
            + "; mirror more requests (mirrorPercent, match) or lower minSamples");
  }

  private Gates gateSummary(ModelDeploymentStatus st, Stage.Experiment e, Instant started) {
    List<String> guardrails = e.spec().guardrails == null ? List.of() : e.spec().guardrails;
    return gates(st, guardrails, started, 0, Instant.MAX);
  }

  /**
   * Evaluates the named gates with this reconcile's measurements into {@code st.gates}; passed
   * gates keep being measured before {@code keepUntil} (null: a pass is final).
   */
  private Gates gates(
      ModelDeploymentStatus st,
      List<String> names,
      Instant started,
      int minSamples,
      Instant keepUntil) {
    List<GateStatus> gates = new ArrayList<>();
    Instant next = null;
    GateStatus failed = null;
    boolean allPass = true;
    for (String name : names) {
      GateSpec spec = gateSpec(name);
      GateStatus gs = GateSchedule.find(st.gates, name);
      if (gs == null) {
        gs = GateEvaluator.pending(spec);
      }
      Measurement m = snapshot.measurements().get(name);
      if (m != null && GateSchedule.isDue(spec, gs, started, gateNow, keepUntil)) {
        gs = GateEvaluator.evaluate(spec, gs, m, gateNow, minSamples);
      }
      gates.add(gs);
      if (gs.verdict == Verdict.Fail && failed == null) {
        failed = gs;
      }
      allPass &= gs.verdict == Verdict.Pass;
      Optional<Instant> due = GateSchedule.nextDue(spec, gs, started, keepUntil);
      if (due.isPresent() && (next == null || due.get().isBefore(next))) {
        next = due.get();
      }
    }
    st.gates = gates;
    return new Gates(failed, allPass, next);
  }

  /** The gates of the current analysis stage that should be measured now. */
  List<GateSpec> due(ModelDeploymentStatus st, int index) {
    if (st.stepStartedAt == null) {
      return List.of();
    }
    Instant started = Instant.parse(st.stepStartedAt);
    List<GateSpec> out = new ArrayList<>();
    Stage stage = plan.stage(index);
    if (stage instanceof Stage.Analysis a) {
      Instant end = a.minDuration() == null ? null : started.plus(a.minDuration());
      for (String name : a.gates()) {
        GateSpec spec = gateSpec(name);
        if (GateSchedule.isDue(spec, GateSchedule.find(st.gates, name), started, gateNow, end)) {
          out.add(spec);
        }
      }
    } else if (stage instanceof Stage.Experiment e) {
      for (String name : e.spec().guardrails == null ? List.<String>of() : e.spec().guardrails) {
        GateSpec spec = gateSpec(name);
        if (GateSchedule.isDue(
            spec, GateSchedule.find(st.gates, name), started, gateNow, Instant.MAX)) {
          out.add(spec);
        }
      }
      out.addAll(experiments.due(st, e, started));
    }
    return out;
  }

  /** When each gate of the current analysis stage, or an experiment's guardrails, is next due. */
  Map<GateSpec, Instant> nextDue(ModelDeploymentStatus st, int index) {
    if (st.stepStartedAt == null) {
      return Map.of();
    }
    Instant started = Instant.parse(st.stepStartedAt);
    Stage stage = plan.stage(index);
    List<String> names;
    Instant keepUntil;
    if (stage instanceof Stage.Analysis a) {
      names = a.gates();
      keepUntil = a.minDuration() == null ? null : started.plus(a.minDuration());
    } else if (stage instanceof Stage.Experiment e && e.spec().guardrails != null) {
      names = e.spec().guardrails;
      keepUntil = Instant.MAX;
    } else {
      return Map.of();
    }
    Map<GateSpec, Instant> out = new java.util.LinkedHashMap<>();
    for (String name : names) {
      GateSpec spec = gateSpec(name);
      GateSchedule.nextDue(spec, GateSchedule.find(st.gates, name), started, keepUntil)
          .ifPresent(t -> out.put(spec, t));
    }
    return out;
  }

  static String describeFailure(GateStatus g) {
    StringBuilder sb = new StringBuilder("gate ").append(g.name).append(" failed");
    if (g.value != null) {
      sb.append(": value ").append(io.modelrollout.operator.analysis.Thresholds.fmt(g.value));
      sb.append(", threshold ").append(g.threshold);
    }
    if (g.message != null && g.value == null) {
      sb.append(": ").append(g.message);
      if (g.query != null) {
        sb.append("; the query as sent: ").append(g.query);
      }
    }
    sb.append(" (").append(g.failures).append(g.failures == 1 ? " failure" : " failures");
    sb.append(")");
    return sb.toString();
  }

  private GateSpec gateSpec(String name) {
    return snapshot.policy().gates.stream()
        .filter(g -> name.equals(g.name))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("gate " + name + " is not defined"));
  }
}
