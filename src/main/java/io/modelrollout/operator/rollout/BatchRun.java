package io.modelrollout.operator.rollout;

import io.modelrollout.operator.api.BatchSpec;
import io.modelrollout.operator.api.BatchStatus;
import io.modelrollout.operator.api.BatchStatus.Outcome;
import io.modelrollout.operator.api.BatchStatus.RevisionRef;
import io.modelrollout.operator.api.BatchStatus.ValidationRun;
import io.modelrollout.operator.api.Durations;
import io.modelrollout.operator.api.HistoryEntry;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.api.RevisionStatus;
import io.modelrollout.operator.status.Reasons;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A Batch decision. The version in service is the CronJob's. A new version runs once as a
 * validation Job (its own input and output); only if the Job succeeds within its deadline, and the
 * policy's analyses pass on the metrics it pushed, does the CronJob take it, between two runs. A
 * failed validation leaves the old version on its schedule and is recorded as rolled back, with the
 * Job's failure reason and where its logs are. The previous version's job template is kept, so the
 * rollback action can put it back.
 */
final class BatchRun extends ModeRun {
  static final Duration DEFAULT_VALIDATION_DEADLINE = Duration.ofHours(1);

  /** How long past its deadline a validation Job may stay silent before the rollout gives up. */
  static final Duration SILENCE = Duration.ofMinutes(1);

  static final int RUNS_LIMIT = 10;

  private final BatchObserved b;
  private final BatchSpec spec;
  private final BatchStatus bs;

  BatchRun(
      RolloutSnapshot s,
      ModelDeploymentStatus st,
      BatchObserved b,
      Instant now,
      Duration progressDeadline) {
    super(s, st, ModePlan.batch(s.policy()), now, progressDeadline);
    this.b = b;
    this.spec = b.spec();
    if (st.batch == null) {
      st.batch = new BatchStatus();
    }
    this.bs = st.batch;
    bs.cronJob = b.name();
  }

  @Override
  void inService(RevisionStatus r) {
    bs.inServiceSince = now.toString();
  }

  @Override
  void started(RevisionStatus canary) {
    ValidationRun last = bs.validation;
    ValidationRun v = new ValidationRun();
    v.job = b.validationJobName(canary.revision);
    v.version = canary.version;
    v.revision = canary.revision;
    v.attempt =
        last != null && canary.revision.equals(last.revision) && last.attempt != null
            ? last.attempt + 1
            : 1;
    v.id = now.getEpochSecond() + "-" + v.attempt;
    BatchStatus.Run baseline = shadow() ? lastGoodRun().orElse(null) : null;
    if (baseline != null) {
      v.input = baseline.input;
      v.shadowOf = baseline.job;
      v.baselineOutput = baseline.output;
    } else {
      v.input =
          spec.validation != null && spec.validation.input != null
              ? spec.validation.input
              : spec.input;
    }
    v.output = outputOf(spec.output, canary.version, "validation-" + canary.revision);
    v.outcome = Outcome.Pending;
    bs.validation = v;
  }

  @Override
  StageRunner.Result runStep(ModeStep step, int index, boolean forced) {
    if (step instanceof ModeStep.Validate) {
      return validate(forced);
    }
    CronSwitch.Next n = cronSwitch(st.canary);
    bs.switching = n.done() ? null : n.waiting();
    return n.done() ? new StageRunner.Done() : new StageRunner.Wait(null);
  }

  private StageRunner.Result validate(boolean forced) {
    ValidationRun v = bs.validation;
    b.validation(st.canary.revision)
        .filter(j -> Objects.equals(j.attempt(), v.id))
        .ifPresent(j -> observe(v, j));
    if (forced || v.outcome == Outcome.Succeeded) {
      return new StageRunner.Done();
    }
    if (v.outcome == Outcome.Failed) {
      return new StageRunner.Fail(Reasons.VALIDATION_FAILED, failure(v));
    }
    Instant deadline = Instant.parse(st.stepStartedAt).plus(validationDeadline()).plus(SILENCE);
    if (!now.isBefore(deadline)) {
      v.outcome = Outcome.Failed;
      v.reason = "did not finish within its deadline of " + Durations.format(validationDeadline());
      return new StageRunner.Fail(Reasons.VALIDATION_FAILED, failure(v));
    }
    return new StageRunner.Wait(deadline);
  }

  private static void observe(ValidationRun v, BatchObserved.Job j) {
    v.startedAt = j.start() == null ? v.startedAt : j.start().toString();
    v.finishedAt = j.end() == null ? null : j.end().toString();
    v.outcome = j.outcome();
    v.reason = j.reason();
    v.logs = j.logs();
  }

  private static String failure(ValidationRun v) {
    return "validation Job "
        + v.job
        + " failed: "
        + v.reason
        + (v.logs == null ? "" : "; logs: " + v.logs);
  }

  @Override
  String promotionReason() {
    ValidationRun v = bs.validation;
    String how =
        v != null && v.outcome == Outcome.Succeeded
            ? "validation Job " + v.job + " succeeded"
            : "validation skipped by a promote action";
    int gates = (int) plan.steps().stream().filter(x -> x instanceof ModeStep.Policy).count();
    return how
        + (gates == 0 ? "" : "; passed " + gates + (gates == 1 ? " step" : " steps"))
        + "; the CronJob switched between runs";
  }

  @Override
  void promoted(RevisionStatus old, RevisionStatus canary) {
    if (!old.revision.equals(canary.revision)) {
      bs.previous = new RevisionRef(old.version, old.revision);
    }
    bs.inServiceSince = now.toString();
    bs.switching = null;
  }

  @Override
  void rollbackAction() {
    RevisionRef prev = bs.previous;
    if (prev == null || !b.templates().contains(prev.revision)) {
      reject("nothing to roll back to: no earlier version's job template is kept");
      return;
    }
    RevisionStatus bad = st.stable;
    addHistory(
        HistoryEntry.Outcome.RolledBack,
        "rolled back to version " + prev.version + " by the rollback action",
        bad);
    st.stable = revision(prev.version, prev.revision);
    if (bad.revision.equals(s.desiredRevision())) {
      st.failedRevision = bad.revision;
    }
    bs.previous = null;
    bs.inServiceSince = now.toString();
    record(
        "rolled back to version "
            + prev.version
            + "; the CronJob switches to it between runs (retry rolls version "
            + bad.version
            + " out again)");
  }

  @Override
  ModeIntent intent() {
    updateRuns();
    boolean atSwitch =
        st.canary != null && plan.step(st.currentStepIndex) instanceof ModeStep.Switch;
    CronSwitch.Next n = cronSwitch(atSwitch ? st.canary : st.stable);
    if (!atSwitch) {
      bs.switching = n.done() || b.cron() == null ? null : n.waiting();
    }
    boolean writable =
        n.revision().equals(s.desiredRevision()) || b.templates().contains(n.revision());
    if (n.writes() && writable) { // (without its job template the CronJob is left as it is)
      deadlines.add(now); // see what the write did (the soonest requeue)
    }
    ModeIntent.CronTarget cron = new ModeIntent.CronTarget(n.revision(), n.version(), n.suspend());
    ValidationRun v = bs.validation;
    ModeIntent.ValidationJob job = null;
    boolean validating =
        st.canary != null && plan.step(st.currentStepIndex) instanceof ModeStep.Validate;
    if (validating && v != null && v.outcome != Outcome.Failed) {
      job =
          new ModeIntent.ValidationJob(
              v.job,
              v.revision,
              v.version,
              v.id,
              v.input,
              v.output,
              v.baselineOutput,
              validationDeadline());
    }
    List<String> delete = new ArrayList<>();
    for (BatchObserved.Job j : b.jobs()) {
      boolean current = v != null && j.name().equals(v.job) && Objects.equals(j.attempt(), v.id);
      boolean finished = j.outcome() == Outcome.Succeeded || j.outcome() == Outcome.Failed;
      // the last validation Job stays for its logs; one still running after an abort goes
      if (j.kind() == BatchObserved.Kind.VALIDATION && !(current && (validating || finished))) {
        delete.add(j.name());
      }
    }
    Set<String> templates = new LinkedHashSet<>();
    templates.add(st.stable.revision);
    if (bs.previous != null) templates.add(bs.previous.revision);
    if (st.canary != null) templates.add(st.canary.revision);
    List<String> drop = b.templates().stream().filter(t -> !templates.contains(t)).toList();
    staleAt().filter(now::isBefore).ifPresent(deadlines::add);
    return new ModeIntent.Batch(cron, job, delete, templates, drop);
  }

  private CronSwitch.Next cronSwitch(RevisionStatus target) {
    return CronSwitch.next(
        b.cron(), target.revision, target.version, Boolean.TRUE.equals(spec.suspend));
  }

  /** When the output goes stale without another successful run, if batch.maxStaleness is set. */
  private Optional<Instant> staleAt() {
    if (spec.maxStaleness == null) {
      return Optional.empty();
    }
    String since = bs.lastSuccessfulRun != null ? bs.lastSuccessfulRun : bs.inServiceSince;
    return since == null
        ? Optional.empty()
        : Optional.of(Instant.parse(since).plus(Durations.parse(spec.maxStaleness)));
  }

  /** The runs of the CronJob, newest first, merged with those status remembers. */
  private void updateRuns() {
    List<BatchStatus.Run> runs = new ArrayList<>(bs.runs);
    for (BatchObserved.Job j : b.jobs()) {
      if (j.kind() != BatchObserved.Kind.RUN) {
        continue;
      }
      BatchStatus.Run r =
          runs.stream().filter(x -> j.name().equals(x.job)).findFirst().orElse(null);
      if (r == null) {
        r = new BatchStatus.Run();
        r.job = j.name();
        runs.add(r);
      }
      r.version = j.version();
      r.startedAt = j.start() == null ? null : j.start().toString();
      r.outcome = j.outcome();
      r.reason = j.reason();
      r.input = j.input();
      r.output = j.output();
      r.durationSeconds =
          j.start() == null || j.end() == null
              ? null
              : Duration.between(j.start(), j.end()).toSeconds();
      if (j.outcome() == Outcome.Succeeded && j.end() != null) {
        if (bs.lastSuccessfulRun == null || j.end().isAfter(Instant.parse(bs.lastSuccessfulRun))) {
          bs.lastSuccessfulRun = j.end().toString();
        }
      }
    }
    runs.sort(
        Comparator.comparing(
                (BatchStatus.Run r) -> r.startedAt == null ? now.toString() : r.startedAt)
            .thenComparing(r -> r.job)
            .reversed());
    bs.runs = new ArrayList<>(runs.subList(0, Math.min(RUNS_LIMIT, runs.size())));
  }

  private Optional<BatchStatus.Run> lastGoodRun() {
    return bs.runs.stream().filter(r -> r.outcome == Outcome.Succeeded).findFirst();
  }

  private boolean shadow() {
    return spec.validation != null && Boolean.TRUE.equals(spec.validation.shadow);
  }

  private Duration validationDeadline() {
    if (spec.validation != null && spec.validation.deadline != null) {
      return Durations.parse(spec.validation.deadline);
    }
    return spec.activeDeadlineSeconds != null
        ? Duration.ofSeconds(spec.activeDeadlineSeconds)
        : DEFAULT_VALIDATION_DEADLINE;
  }

  /** {@code <output>/<version>/<run>}, the version made safe for a path. */
  static String outputOf(String base, String version, String run) {
    String v = version.replaceAll("[^A-Za-z0-9._-]", "_");
    return (base.endsWith("/") ? base : base + "/") + v + "/" + run;
  }
}
