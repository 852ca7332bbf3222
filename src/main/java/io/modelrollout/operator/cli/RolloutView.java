package io.modelrollout.operator.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Event;
import io.modelrollout.operator.api.AutoscalingStatus;
import io.modelrollout.operator.api.BatchStatus;
import io.modelrollout.operator.api.ComparisonStatus;
import io.modelrollout.operator.api.Condition;
import io.modelrollout.operator.api.DeploymentMode;
import io.modelrollout.operator.api.Durations;
import io.modelrollout.operator.api.EdgeStatus;
import io.modelrollout.operator.api.ExperimentStatus;
import io.modelrollout.operator.api.GateSpec;
import io.modelrollout.operator.api.GateStatus;
import io.modelrollout.operator.api.HistoryEntry;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.ModelDeploymentSpec;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.RevisionStatus;
import io.modelrollout.operator.api.RolloutPolicySpec;
import io.modelrollout.operator.api.Verdict;
import io.modelrollout.operator.rollout.Stage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Everything {@code get} shows of one ModelDeployment, computed from the object, its policy and its
 * events at a given instant (pure). It is also the document of {@code get -o json|yaml}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RolloutView(
    String name,
    String namespace,
    Long generation,
    Long observedGeneration,
    Model model,
    DeploymentMode mode,
    Phase phase,
    String message,
    Policy policy,
    String traffic,
    Revision stable,
    Revision canary,
    Rollout rollout,
    List<Step> steps,
    Traffic weights,
    List<Gate> gates,
    ExperimentStatus experiment,
    BatchStatus batch,
    EdgeStatus edge,
    Autoscaling autoscaling,
    List<History> history,
    List<EventView> events,
    LastAction lastAction,
    List<Cond> conditions) {

  /** The model the spec asks for. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Model(String name, String version, String uri, String revision) {}

  /**
   * The rollout policy: strategy, where it comes from (RolloutPolicy, inline or none), and why its
   * steps are unknown when they are.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Policy(String strategy, String name, String source, String error) {}

  /** A revision with its pods. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Revision(String version, String revision, Integer ready, Integer desired) {}

  /** The rollout in progress. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Rollout(
      String startedAt,
      Integer currentStepIndex,
      String currentStep,
      String stepStartedAt,
      Boolean paused,
      String pausedBy) {}

  /**
   * One step of the rollout, with its state and, when it runs, its times. {@code remainingBound}
   * says what {@code remainingSeconds} counts down to: {@code exact} the end of a timed pause,
   * {@code atLeast} the minimum duration of an analysis (a shadow's {@code duration}; its gates
   * must pass then), {@code atMost} an A/B test's {@code maxDuration} (it may decide earlier).
   * {@code waitingFor} names the action a person has to take for the current step to end ({@code
   * promote} at a pause until promoted; {@code promote or abort} after an A/B test decided with
   * {@code Manual}).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Step(
      int index,
      String text,
      String state,
      Long elapsedSeconds,
      Long remainingSeconds,
      String remainingBound,
      String waitingFor) {}

  /**
   * Weights: {@code canary}/{@code stable} the operator has put in force, {@code actualCanary} the
   * share read back from the data plane ({@code verified}) or, for ReplicaRatio, of ready pods.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Traffic(
      String provider,
      Integer canary,
      Integer stable,
      Integer mirror,
      Integer actualCanary,
      Boolean verified,
      Integer stepWeight) {}

  /** A gate's verdict and evidence, with the policy's count and limits. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Gate(
      String name,
      Verdict verdict,
      Double value,
      String threshold,
      Integer successes,
      Integer count,
      Integer failures,
      Integer failureLimit,
      Integer inconclusives,
      Integer inconclusiveLimit,
      String measuredAt,
      String query,
      String message,
      ComparisonStatus comparison) {}

  /** The HorizontalPodAutoscaler of an autoscaled online model: the spec's bounds, its status. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Autoscaling(
      String hpa,
      String target,
      Integer minReplicas,
      Integer maxReplicas,
      Integer currentReplicas,
      Integer desiredReplicas,
      Boolean scaleDownDisabled) {}

  /**
   * A finished rollout; its start is the entry's startedAt, or for an entry written before the
   * operator recorded one, its RolloutStarted event while that exists.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record History(
      String version,
      String revision,
      HistoryEntry.Outcome outcome,
      String reason,
      String at,
      String startedAt,
      Long durationSeconds) {}

  /** An Event of the ModelDeployment. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record EventView(String time, String type, String reason, String message, Integer count) {}

  /** The last manual action. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record LastAction(
      String action, String at, String message, Boolean rejected, Boolean pending) {}

  /** A condition, short. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Cond(String type, String status, String reason, String message) {}

  /** What the CLI could learn of the policy of a ModelDeployment. */
  public record PolicyInfo(RolloutPolicySpec spec, String name, String source, String error) {
    public static PolicyInfo none() {
      return new PolicyInfo(null, null, "none", null);
    }
  }

  public static RolloutView of(
      ModelDeployment md, PolicyInfo policy, List<Event> events, Instant now) {
    ModelDeploymentSpec spec = md.getSpec();
    ModelDeploymentStatus st = md.getStatus();
    Model model =
        spec == null || spec.model == null
            ? null
            : new Model(spec.model.name, spec.model.version, spec.model.uri, revisionOf(spec));
    List<EventView> ev = events(events, md.getMetadata().getUid());
    StepPlan plan = null;
    String planError = policy.error();
    if (planError == null && !(policy.spec() == null && "RolloutPolicy".equals(policy.source()))) {
      try {
        plan = StepPlan.of(spec, policy.spec());
      } catch (RuntimeException e) {
        planError = "cannot read the policy: " + e.getMessage();
      }
    }
    String strategy =
        policy.spec() == null
            ? ("none".equals(policy.source()) ? "Replace" : null)
            : String.valueOf(policy.spec().strategy);
    Policy p = new Policy(strategy, policy.name(), policy.source(), planError);
    DeploymentMode mode = spec == null ? DeploymentMode.Online : spec.modeOrDefault();
    String provider =
        mode != DeploymentMode.Online
            ? null // a batch run or an edge node has no traffic split
            : spec == null || spec.traffic == null
                ? "ReplicaRatio"
                : spec.traffic.providerOrDefault().name();
    DeploymentMode shownMode = mode == DeploymentMode.Online ? null : mode;
    if (st == null) {
      return new RolloutView(
          md.getMetadata().getName(),
          md.getMetadata().getNamespace(),
          md.getMetadata().getGeneration(),
          null,
          model,
          shownMode,
          null,
          "no status yet: the operator has not reconciled this ModelDeployment",
          p,
          provider,
          null,
          null,
          null,
          steps(plan, null, spec, now),
          null,
          List.of(),
          null,
          null,
          null,
          null,
          List.of(),
          ev,
          null,
          List.of());
    }
    boolean inRollout = st.canary != null && st.currentStepIndex != null;
    Rollout rollout =
        inRollout
            ? new Rollout(
                st.rolloutStartedAt,
                st.currentStepIndex,
                st.currentStep,
                st.stepStartedAt,
                pausedBy(spec, st) == null ? null : true,
                pausedBy(spec, st))
            : (pausedBy(spec, st) == null
                ? null
                : new Rollout(null, null, null, null, true, pausedBy(spec, st)));
    Integer stepWeight =
        inRollout && plan != null && plan.online() != null
            ? plan.online().target(st.currentStepIndex).weight()
            : null;
    Traffic weights =
        st.weights == null
            ? null
            : new Traffic(
                st.weights.provider,
                st.weights.canary,
                st.weights.stable,
                st.weights.mirror,
                st.weights.actualCanary,
                st.weights.verified,
                stepWeight);
    return new RolloutView(
        md.getMetadata().getName(),
        md.getMetadata().getNamespace(),
        md.getMetadata().getGeneration(),
        st.observedGeneration,
        model,
        shownMode,
        st.phase,
        st.message,
        p,
        provider,
        revision(st.stable),
        revision(st.canary),
        rollout,
        steps(plan, inRollout ? st : null, spec, now),
        weights,
        gates(st.gates, policy.spec()),
        st.experiment,
        st.batch,
        st.edge,
        autoscaling(spec, st.autoscaling),
        history(st.history, ev),
        ev,
        st.lastAction == null
            ? null
            : new LastAction(
                st.lastAction.action,
                st.lastAction.at,
                st.lastAction.message,
                st.lastAction.rejected,
                st.lastAction.pending),
        st.conditions.stream().map(c -> new Cond(c.type, c.status, c.reason, c.message)).toList());
  }

  /** Whether the spec or the pause action holds the rollout, or null. */
  private static String pausedBy(ModelDeploymentSpec spec, ModelDeploymentStatus st) {
    if (spec != null && spec.pausedOrDefault()) return "spec.paused";
    if (Boolean.TRUE.equals(st.userPaused)) return "pause action";
    return null;
  }

  private static String revisionOf(ModelDeploymentSpec spec) {
    try {
      return io.modelrollout.operator.resources.RevisionHash.of(spec);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static Revision revision(RevisionStatus r) {
    return r == null ? null : new Revision(r.version, r.revision, r.readyReplicas, r.replicas);
  }

  private static List<Step> steps(
      StepPlan plan, ModelDeploymentStatus st, ModelDeploymentSpec spec, Instant now) {
    if (plan == null) {
      return List.of();
    }
    List<Step> out = new ArrayList<>();
    int current = st == null ? -1 : plan.clampIndex(st.currentStepIndex);
    boolean paused = st != null && pausedBy(spec, st) != null;
    for (int i = 0; i < plan.size(); i++) {
      String text = plan.texts().get(i);
      if (st == null) {
        out.add(new Step(i, text, "none", null, null, null, null));
      } else if (i < current) {
        out.add(new Step(i, text, "done", null, null, null, null));
      } else if (i > current) {
        out.add(new Step(i, text, "pending", null, null, null, null));
      } else {
        Instant started = Ages.parse(st.stepStartedAt);
        Long elapsed = started == null ? null : Duration.between(started, now).getSeconds();
        // a resume restarts the step (stepStartedAt), so nothing counts down while paused
        Remaining left =
            started == null || paused ? null : remaining(plan.stage(i), st, started, now);
        out.add(
            new Step(
                i,
                text,
                "current",
                elapsed,
                left == null ? null : left.seconds(),
                left == null ? null : left.bound(),
                waitingFor(plan.stage(i), st, started)));
      }
    }
    return out;
  }

  private record Remaining(long seconds, String bound) {}

  /**
   * What is left of a step that runs for a set time: a timed pause (exactly), an analysis with a
   * minimum duration (at least: its gates must pass then), an A/B test still running until its
   * maxDuration (at most: the sequential test may decide earlier); null for any other step.
   */
  private static Remaining remaining(
      Stage stage, ModelDeploymentStatus st, Instant started, Instant now) {
    if (stage instanceof Stage.Pause p && p.duration() != null) {
      return new Remaining(
          Math.max(0, Duration.between(now, started.plus(p.duration())).getSeconds()), "exact");
    }
    if (stage instanceof Stage.Analysis a && a.minDuration() != null) {
      long left = Duration.between(now, started.plus(a.minDuration())).getSeconds();
      return left > 0 ? new Remaining(left, "atLeast") : null;
    }
    if (stage instanceof Stage.Experiment e && e.spec().maxDuration != null) {
      ExperimentStatus ex = st.experiment;
      boolean decided =
          ex != null
              && ex.decision != null
              && ex.decision != ExperimentStatus.Decision.Running
              && started.equals(Ages.parse(ex.startedAt));
      long left =
          Duration.between(now, started.plus(Durations.parse(e.spec().maxDuration))).getSeconds();
      return decided || left <= 0 ? null : new Remaining(left, "atMost");
    }
    return null;
  }

  /** The action a person must take for the step to end, or null when it ends by itself. */
  private static String waitingFor(Stage stage, ModelDeploymentStatus st, Instant started) {
    if (stage instanceof Stage.Pause p && p.duration() == null) {
      return "promote";
    }
    ExperimentStatus ex = st.experiment;
    if (stage instanceof Stage.Experiment
        && ex != null
        && ex.decision != null
        && ex.decision != ExperimentStatus.Decision.Running
        && ex.decision != ExperimentStatus.Decision.TreatmentWins
        && (started == null || started.equals(Ages.parse(ex.startedAt)))) {
      return "promote or abort"; // onNoWin: Manual (KeepControl would have ended the rollout)
    }
    return null;
  }

  private static Autoscaling autoscaling(ModelDeploymentSpec spec, AutoscalingStatus a) {
    if (a == null) {
      return null;
    }
    var as = spec == null ? null : spec.autoscaling;
    return new Autoscaling(
        a.hpa,
        a.target,
        as == null ? null : as.minReplicasOrDefault(),
        as == null ? null : as.maxReplicas,
        a.currentReplicas,
        a.desiredReplicas,
        a.scaleDownDisabled);
  }

  private static List<Gate> gates(List<GateStatus> gates, RolloutPolicySpec policy) {
    List<Gate> out = new ArrayList<>();
    for (GateStatus g : gates) {
      GateSpec spec =
          policy == null
              ? null
              : policy.gates.stream().filter(s -> s.name.equals(g.name)).findFirst().orElse(null);
      out.add(
          new Gate(
              g.name,
              g.verdict,
              g.value,
              g.threshold,
              g.successes,
              spec == null ? null : spec.countOrDefault(),
              g.failures,
              spec == null ? null : spec.failureLimitOrDefault(),
              g.inconclusives,
              spec == null ? null : spec.inconclusiveLimitOrDefault(),
              g.measuredAt,
              g.query,
              g.message,
              g.comparison));
    }
    return out;
  }

  private static List<History> history(List<HistoryEntry> history, List<EventView> events) {
    List<History> out = new ArrayList<>();
    for (HistoryEntry h : history) {
      Instant end = Ages.parse(h.at);
      Instant start = Ages.parse(h.startedAt);
      for (EventView e :
          start != null
              ? List.<EventView>of()
              : events) { // oldest first: the last match before the end wins
        Instant t = Ages.parse(e.time());
        if ("RolloutStarted".equals(e.reason())
            && e.message() != null
            && e.message().contains("(revision " + h.revision + ")")
            && t != null
            && end != null
            && !t.isAfter(end)) {
          start = t;
        }
      }
      out.add(
          new History(
              h.version,
              h.revision,
              h.outcome,
              h.reason,
              h.at,
              start == null ? null : start.toString(),
              start == null || end == null ? null : Duration.between(start, end).getSeconds()));
    }
    return out;
  }

  /** The events of the object with {@code uid} (any, when unknown), oldest first. */
  static List<EventView> events(List<Event> events, String uid) {
    return events.stream()
        .filter(
            e ->
                uid == null
                    || e.getInvolvedObject() == null
                    || e.getInvolvedObject().getUid() == null
                    || uid.equals(e.getInvolvedObject().getUid()))
        .sorted(Comparator.comparing(RolloutView::eventTime).thenComparing(RolloutView::rv))
        .map(
            e ->
                new EventView(
                    eventTime(e).equals(Instant.EPOCH) ? null : eventTime(e).toString(),
                    e.getType(),
                    e.getReason(),
                    e.getMessage(),
                    e.getCount()))
        .toList();
  }

  private static Instant eventTime(Event e) {
    Instant t = Ages.parse(e.getLastTimestamp());
    if (t == null && e.getEventTime() != null) t = Ages.parse(e.getEventTime().getTime());
    if (t == null && e.getMetadata() != null)
      t = Ages.parse(e.getMetadata().getCreationTimestamp());
    return t == null ? Instant.EPOCH : t;
  }

  private static long rv(Event e) {
    try {
      return Long.parseLong(e.getMetadata().getResourceVersion());
    } catch (RuntimeException ex) {
      return 0;
    }
  }

  /** The condition of {@code type}, or null. */
  Cond condition(String type) {
    return conditions.stream().filter(c -> type.equals(c.type())).findFirst().orElse(null);
  }

  /** True when the status was computed from an older generation than the spec's. */
  boolean stale() {
    return generation != null && (observedGeneration == null || observedGeneration < generation);
  }

  static boolean isTrue(Cond c) {
    return c != null && "True".equals(c.status());
  }

  static final String INVALID_SPEC = Condition.INVALID_SPEC;
}
