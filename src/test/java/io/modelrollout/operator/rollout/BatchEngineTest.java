package io.modelrollout.operator.rollout;

import static io.modelrollout.operator.rollout.BatchWorld.revisionOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelrollout.operator.analysis.Measurement;
import io.modelrollout.operator.analysis.MetricProvider;
import io.modelrollout.operator.analysis.QueryTarget;
import io.modelrollout.operator.api.BatchSpec;
import io.modelrollout.operator.api.BatchStatus;
import io.modelrollout.operator.api.BatchStatus.Outcome;
import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.Condition;
import io.modelrollout.operator.api.GateSpec;
import io.modelrollout.operator.api.HistoryEntry;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.RolloutPolicySpec;
import io.modelrollout.operator.status.Conditions;
import io.modelrollout.operator.status.EventSpec;
import io.modelrollout.operator.status.StatusEvents;
import io.modelrollout.operator.support.Json;
import io.modelrollout.operator.testing.Fixtures;
import io.modelrollout.operator.testing.ScriptedMetrics;
import io.modelrollout.operator.testing.StrategyFixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Batch mode through a simulated cluster: validation, the switch between runs, rollback. */
class BatchEngineTest {
  static final String V1 = revisionOf("1.0.0");
  static final String V2 = revisionOf("2.0.0");
  BatchWorld w;

  /** Validate, then an analysis of the metrics the validation Job pushed, then switch. */
  static RolloutPolicySpec policy() {
    RolloutPolicySpec p =
        Fixtures.canarySpec(1, CanaryStep.weight(50), CanaryStep.analysis("accuracy"));
    GateSpec g = Fixtures.gate("accuracy", "batch_accuracy{version=\"{{version}}\"}", 1.0);
    g.max = null;
    g.min = 0.9;
    g.count = 1;
    p.gates.add(g);
    return p;
  }

  @BeforeEach
  void inServiceAtVersion1() {
    w = new BatchWorld(policy());
    ModeDecision d = w.step();
    ModelDeploymentStatus st = d.decision().status();
    assertThat(st.stable.version).isEqualTo("1.0.0");
    assertThat(st.history.get(0).reason).isEqualTo("initial version");
    assertThat(w.cron.revision).isEqualTo(V1);
    assertThat(w.cron.suspended).isFalse();
    assertThat(st.batch.inServiceSince).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(w.step().decision().status().phase).isEqualTo(Phase.Healthy);
    assertThat(w.templates).containsExactly(V1);
  }

  @Test
  void aValidatedVersionTakesOverTheScheduleBetweenRuns() {
    w.spec.validation = new BatchSpec.Validation();
    w.spec.validation.input = "s3://data/validation-set";
    BatchWorld.SimJob run = w.startRun();
    w.version = "2.0.0";
    ModeDecision d = w.step();
    ModelDeploymentStatus st = d.decision().status();
    assertThat(st.canary.version).isEqualTo("2.0.0");
    assertThat(st.currentStep).isEqualTo("validation Job");
    assertThat(st.phase).isEqualTo(Phase.Progressing);
    BatchWorld.SimJob job = w.validationJob();
    assertThat(job.name).isEqualTo("fraud-" + V2);
    assertThat(job.input).isEqualTo("s3://data/validation-set");
    assertThat(job.output).isEqualTo("s3://scores/fraud/2.0.0/validation-" + V2);
    assertThat(st.batch.validation.attempt).isEqualTo(1);
    assertThat(w.events).extracting(EventSpec::reason).contains("ValidationStarted");
    assertThat(w.cron.revision).as("the old version keeps its schedule").isEqualTo(V1);

    w.advance(Duration.ofMinutes(3));
    w.finish(job, true);
    w.gateValues.put("accuracy", 0.95);
    st = w.step().decision().status();
    assertThat(st.batch.validation.outcome).isEqualTo(Outcome.Succeeded);
    assertThat(st.currentStep).isEqualTo("analysis accuracy");
    d = w.step();
    st = d.decision().status();
    assertThat(w.measured).contains("accuracy");
    assertThat(st.currentStep).isEqualTo("switch the CronJob");
    assertThat(w.cron.suspended).as("suspended: run %s is active", run.name).isTrue();
    assertThat(w.cron.revision).isEqualTo(V1);
    assertThat(d.decision().requeueAfter())
        .as("its own write wakes no reconcile: it looks again at once")
        .isEqualTo(Duration.ofSeconds(1));
    d = w.settle();
    st = d.decision().status();
    assertThat(d.decision().requeueAfter())
        .as("the run's end is an event")
        .isNotEqualTo(Duration.ofSeconds(1));
    assertThat(st.batch.switching)
        .contains("waiting for run " + run.name + " of version 1.0.0 to finish");
    assertThat(st.conditions)
        .anySatisfy(c -> assertThat(c.message).contains("waiting for run " + run.name));
    assertThat(w.cron.revision).isEqualTo(V1);

    w.advance(Duration.ofMinutes(10));
    w.finish(run, true);
    d = w.step();
    st = d.decision().status();
    assertThat(w.cron.revision).isEqualTo(V2);
    assertThat(w.cron.suspended).isFalse();
    assertThat(d.decision().requeueAfter()).isEqualTo(Duration.ofSeconds(1));
    assertThat(st.canary).as("in service once the CronJob is seen to run it").isNotNull();
    st = w.step().decision().status();
    assertThat(w.cronRevisions).containsExactly(V2);
    assertThat(st.stable.version).isEqualTo("2.0.0");
    assertThat(st.canary).isNull();
    assertThat(st.batch.previous.revision).isEqualTo(V1);
    assertThat(st.batch.switching).isNull();
    assertThat(st.history.get(0).outcome).isEqualTo(HistoryEntry.Outcome.Promoted);
    assertThat(st.history.get(0).reason)
        .isEqualTo(
            "validation Job fraud-"
                + V2
                + " succeeded; passed 1 step; the CronJob switched between runs");
    assertThat(st.batch.runs)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.outcome).isEqualTo(Outcome.Succeeded);
              assertThat(r.version).isEqualTo("1.0.0");
              assertThat(r.durationSeconds).isEqualTo(780L);
            });
    assertThat(st.phase).isEqualTo(Phase.Healthy);
    assertThat(w.templates).containsExactlyInAnyOrder(V1, V2);
    assertThat(w.events)
        .extracting(EventSpec::reason)
        .containsSubsequence(
            "ValidationStarted", "ValidationSucceeded", "GatePassed", "RunSucceeded");
    assertThat(w.events).extracting(EventSpec::reason).contains("RolloutPromoted");
    BatchWorld.SimJob next = w.startRun();
    assertThat(next.version).as("the next run uses the new version").isEqualTo("2.0.0");
  }

  @Test
  void aFailedValidationLeavesTheOldVersionOnItsScheduleAndSaysWhy() {
    w.version = "2.0.0";
    w.step();
    BatchWorld.SimJob job = w.validationJob();
    w.finish(job, false);
    ModelDeploymentStatus st = w.step().decision().status();
    assertThat(st.phase).isEqualTo(Phase.RolledBack);
    assertThat(st.stable.version).isEqualTo("1.0.0");
    assertThat(st.failedRevision).isEqualTo(V2);
    assertThat(st.history.get(0).outcome).isEqualTo(HistoryEntry.Outcome.RolledBack);
    assertThat(st.history.get(0).reason)
        .isEqualTo(
            "validation Job fraud-"
                + V2
                + " failed: BackoffLimitExceeded: Job has reached the specified backoff limit;"
                + " logs: kubectl -n ns logs job/fraud-"
                + V2);
    assertThat(Conditions.find(st.conditions, Condition.DEGRADED).reason).isEqualTo("RolledBack");
    assertThat(st.batch.validation.outcome).isEqualTo(Outcome.Failed);
    assertThat(w.cron.revision).isEqualTo(V1);
    assertThat(w.cronRevisions).as("never switched, never suspended").isEmpty();
    assertThat(w.jobs).as("the failed Job stays for its logs").containsKey(job.name);
    assertThat(w.events).extracting(EventSpec::reason).contains("ValidationFailed", "RolledBack");
    assertThat(w.step().decision().status().phase).isEqualTo(Phase.RolledBack);

    // retry: the old Job goes first, then a second attempt runs
    w.action = "retry";
    st = w.step().decision().status();
    assertThat(st.batch.validation.attempt).isEqualTo(2);
    assertThat(w.jobs).doesNotContainKey(job.name);
    st = w.step().decision().status();
    BatchWorld.SimJob again = w.validationJob();
    assertThat(again.attempt).isEqualTo(st.batch.validation.id).isNotEqualTo(job.attempt);
    w.finish(again, true);
    w.gateValues.put("accuracy", 0.99);
    w.settle();
    assertThat(w.cron.revision).isEqualTo(V2);
    assertThat(w.status().phase).isEqualTo(Phase.Healthy);
  }

  @Test
  void aValidationJobThatDoesNotFinishInItsDeadlineFails() {
    w.spec.validation = new BatchSpec.Validation();
    w.spec.validation.deadline = "10m";
    w.version = "2.0.0";
    ModeDecision d = w.step();
    assertThat(d.decision().requeueAfter()).isEqualTo(Duration.ofMinutes(11));
    w.advance(Duration.ofMinutes(11));
    ModelDeploymentStatus st = w.step().decision().status();
    assertThat(st.phase).isEqualTo(Phase.RolledBack);
    assertThat(st.history.get(0).reason).contains("did not finish within its deadline of 10m");
  }

  @Test
  void aGateOnTheValidationMetricsThatFailsRollsBack() {
    w.version = "2.0.0";
    w.step();
    w.finish(w.validationJob(), true);
    w.gateValues.put("accuracy", 0.5);
    ModelDeploymentStatus st = w.settle().decision().status();
    assertThat(st.phase).isEqualTo(Phase.RolledBack);
    assertThat(st.history.get(0).reason).contains("gate accuracy failed: value 0.5");
    assertThat(w.cron.revision).isEqualTo(V1);
    assertThat(w.cronRevisions).isEmpty();
  }

  @Test
  void theRollbackActionPutsThePreviousJobTemplateBackBetweenRuns() {
    promoteVersion2();
    BatchWorld.SimJob run = w.startRun();
    w.action = "rollback";
    ModelDeploymentStatus st = w.step().decision().status();
    assertThat(st.stable.version).isEqualTo("1.0.0");
    assertThat(st.phase).isEqualTo(Phase.RolledBack);
    assertThat(st.failedRevision).isEqualTo(V2);
    assertThat(st.history.get(0).reason)
        .isEqualTo("rolled back to version 1.0.0 by the rollback action");
    assertThat(st.lastAction.message).contains("retry rolls version 2.0.0 out again");
    assertThat(w.cron.suspended).isTrue();
    assertThat(w.cron.revision).as("not during run %s", run.name).isEqualTo(V2);
    w.finish(run, true);
    w.settle();
    assertThat(w.cron.revision).isEqualTo(V1);
    assertThat(w.cron.suspended).isFalse();
    assertThat(w.status().batch.switching).isNull();
    assertThat(w.templates).as("version 1 in service; version 2 is the spec's").containsExactly(V1);

    w.action = "rollback";
    assertThat(w.step().decision().status().lastAction.rejected).isTrue();
    w.action = "retry";
    st = w.step().decision().status();
    assertThat(st.canary.version).isEqualTo("2.0.0");
    assertThat(st.currentStep).isEqualTo("validation Job");
  }

  @Test
  void aShadowBatchScoresTheInputOfTheLastGoodRun() {
    w.spec.validation = new BatchSpec.Validation();
    w.spec.validation.shadow = true;
    w.spec.input = "s3://data/day-1";
    BatchWorld.SimJob run = w.startRun();
    w.finish(run, true);
    w.step();
    w.spec.input = "s3://data/day-2";
    w.version = "2.0.0";
    ModelDeploymentStatus st = w.step().decision().status();
    BatchStatus.ValidationRun v = st.batch.validation;
    assertThat(v.shadowOf).isEqualTo(run.name);
    assertThat(v.input).isEqualTo("s3://data/day-1");
    assertThat(v.baselineOutput).isEqualTo(run.output);
    assertThat(w.validationJob().input).isEqualTo("s3://data/day-1");
  }

  /** A shadow batch of version 2 on the input of version 1's last good run; returns that run. */
  private BatchWorld.SimJob shadowOfTheLastRun(RolloutPolicySpec p, MetricProvider metrics) {
    w.policy = p;
    w.provider = metrics;
    w.spec.validation = new BatchSpec.Validation();
    w.spec.validation.shadow = true;
    BatchWorld.SimJob run = w.startRun();
    w.advance(Duration.ofHours(1));
    w.finish(run, true);
    w.step();
    w.version = "2.0.0";
    w.step();
    BatchWorld.SimJob job = w.validationJob();
    assertThat(job.input).as("the same input as run %s", run.name).isEqualTo(run.input);
    w.advance(Duration.ofMinutes(20));
    w.finish(job, true);
    return run;
  }

  @Test
  void aShadowBatchWithARelativeGateQueriesBothVersionsAndABadValueRollsBack() {
    RolloutPolicySpec p = Fixtures.canarySpec(1, CanaryStep.analysis("accuracy-vs-stable"));
    GateSpec g =
        Fixtures.gate("accuracy-vs-stable", "batch_accuracy{version=\"{{version}}\"}", 1.0);
    g.max = null;
    g.compareTo = GateSpec.Baseline.Stable;
    g.maxDecrease = 0.02;
    g.count = 1;
    p.gates.add(g);
    ScriptedMetrics metrics =
        new ScriptedMetrics().answer("version=\"1.0.0\"", 0.93).answer("version=\"2.0.0\"", 0.85);
    shadowOfTheLastRun(p, metrics);
    ModelDeploymentStatus st = w.settle().decision().status();
    assertThat(metrics.queries())
        .as("the version validated and the one in service")
        .contains("batch_accuracy{version=\"2.0.0\"}", "batch_accuracy{version=\"1.0.0\"}");
    assertThat(st.phase).isEqualTo(Phase.RolledBack);
    assertThat(st.failedRevision).isEqualTo(V2);
    assertThat(st.history.get(0).reason).contains("gate accuracy-vs-stable failed: value 0.85");
    assertThat(w.cron.revision).as("the CronJob is untouched").isEqualTo(V1);
    assertThat(w.cron.suspended).isFalse();
    assertThat(w.cronRevisions).isEmpty();
    assertThat(w.events).extracting(EventSpec::reason).contains("GateFailed", "RolledBack");
  }

  @Test
  void aShadowBatchComparisonGateComparesPredictionsWithTheLastRunsAndSwitches() {
    GateSpec g = StrategyFixtures.psiGate("prediction-drift", 0.1);
    g.comparison.window = "26h"; // reaches back to the run that is the baseline
    g.count = 1;
    RolloutPolicySpec p = Fixtures.canarySpec(1, CanaryStep.analysis("prediction-drift"));
    p.gates.add(g);
    Predictions metrics = new Predictions();
    metrics.cumulative.put("1.0.0", new double[] {100, 400, 800, 950, 1000});
    metrics.cumulative.put("2.0.0", new double[] {110, 420, 790, 950, 1000});
    shadowOfTheLastRun(p, metrics);
    ModelDeploymentStatus st = w.settle().decision().status();
    assertThat(metrics.queries)
        .contains(
            "sum by (le) (increase(model_prediction_score_bucket{model=\"fraud-detector\","
                + "version=\"2.0.0\"}[26h]))",
            "sum by (le) (increase(model_prediction_score_bucket{model=\"fraud-detector\","
                + "version=\"1.0.0\"}[26h]))");
    assertThat(st.stable.version).isEqualTo("2.0.0");
    assertThat(w.cron.revision).isEqualTo(V2);
    assertThat(w.events)
        .filteredOn(e -> e.reason().equals("GatePassed"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.message())
                    .startsWith("gate prediction-drift passed: value 0.0")
                    .endsWith("threshold PSI <= 0.1"));
  }

  /** Prediction histograms by version, cumulative per le bound, as Prometheus returns them. */
  static final class Predictions implements MetricProvider {
    static final List<String> BOUNDS = List.of("0.25", "0.5", "0.75", "1", "+Inf");
    final Map<String, double[]> cumulative = new HashMap<>();
    final List<String> queries = new ArrayList<>();

    @Override
    public Measurement query(QueryTarget target, String query) {
      queries.add(query);
      return new Measurement.NoData(query, "no series");
    }

    @Override
    public Labeled queryByLabel(QueryTarget target, String query, String label) {
      queries.add(query);
      for (Map.Entry<String, double[]> e : cumulative.entrySet()) {
        if (query.contains("version=\"" + e.getKey() + "\"")) {
          Map<String, Double> v = new HashMap<>();
          for (int i = 0; i < BOUNDS.size(); i++) v.put(BOUNDS.get(i), e.getValue()[i]);
          return Labeled.of(v);
        }
      }
      return Labeled.failed(new Measurement.NoData(query, "no series"));
    }
  }

  @Test
  void theOutputGoesStaleWithoutASuccessfulRunAndFreshAgainWithOne() {
    w.spec.maxStaleness = "26h";
    ModeDecision d = w.step();
    assertThat(d.decision().requeueAfter()).isEqualTo(Duration.ofHours(26));
    assertThat(Conditions.find(d.decision().status().conditions, Condition.FRESH).isTrue())
        .isTrue();
    w.advance(Duration.ofHours(26));
    ModelDeploymentStatus st = w.step().decision().status();
    assertThat(st.phase).isEqualTo(Phase.Degraded);
    Condition fresh = Conditions.find(st.conditions, Condition.FRESH);
    assertThat(fresh.isTrue()).isFalse();
    assertThat(fresh.reason).isEqualTo("Stale");
    assertThat(fresh.message)
        .isEqualTo(
            "no run has succeeded since version 1.0.0 went into service at 2026-01-01T00:00:00Z,"
                + " longer ago than batch.maxStaleness 26h");
    assertThat(w.events).extracting(EventSpec::reason).contains("Stale");
    BatchWorld.SimJob run = w.startRun();
    w.finish(run, true);
    st = w.step().decision().status();
    assertThat(st.phase).isEqualTo(Phase.Healthy);
    assertThat(st.batch.lastSuccessfulRun).isEqualTo("2026-01-02T02:00:00Z");
  }

  @Test
  void aFailedRunDegradesUntilTheNextOneSucceeds() {
    BatchWorld.SimJob run = w.startRun();
    w.finish(run, false);
    ModelDeploymentStatus st = w.step().decision().status();
    assertThat(st.phase).isEqualTo(Phase.Degraded);
    assertThat(Conditions.find(st.conditions, Condition.DEGRADED).message)
        .startsWith("run " + run.name + " of version 1.0.0 failed: BackoffLimitExceeded");
    assertThat(w.events).extracting(EventSpec::reason).contains("RunFailed");
    w.advance(Duration.ofDays(1));
    BatchWorld.SimJob next = w.startRun();
    w.finish(next, true);
    assertThat(w.step().decision().status().phase).isEqualTo(Phase.Healthy);
  }

  @Test
  void aPauseStepWaitsForAPromoteActionBeforeTheSwitch() {
    w.policy = Fixtures.canarySpec(1, CanaryStep.pause(null));
    w.version = "2.0.0";
    w.step();
    w.finish(w.validationJob(), true);
    ModelDeploymentStatus st = w.step().decision().status();
    assertThat(st.phase).isEqualTo(Phase.Paused);
    assertThat(Conditions.find(st.conditions, Condition.PAUSED).reason).isEqualTo("PauseStep");
    assertThat(w.cron.revision).isEqualTo(V1);
    w.action = "promote";
    w.settle();
    assertThat(w.cron.revision).isEqualTo(V2);
  }

  @Test
  void anAbortStopsARunningValidationJob() {
    w.version = "2.0.0";
    w.step();
    String job = w.validationJob().name;
    w.action = "abort";
    ModelDeploymentStatus st = w.step().decision().status();
    assertThat(st.phase).isEqualTo(Phase.RolledBack);
    assertThat(Conditions.find(st.conditions, Condition.DEGRADED).reason).isEqualTo("Aborted");
    assertThat(w.jobs).doesNotContainKey(job);
  }

  @Test
  void aNewVersionSupersedesOneInValidation() {
    w.version = "2.0.0";
    w.step();
    w.version = "3.0.0";
    ModelDeploymentStatus st = w.step().decision().status();
    assertThat(st.canary.version).isEqualTo("3.0.0");
    assertThat(st.history.get(0).reason).isEqualTo("superseded by version 3.0.0");
    assertThat(w.jobs).doesNotContainKey("fraud-" + V2);
    assertThat(w.jobs).containsKey("fraud-" + revisionOf("3.0.0"));
  }

  @Test
  void runsAreBoundedNewestFirst() {
    for (int i = 0; i < 12; i++) {
      w.advance(Duration.ofDays(1));
      w.finish(w.startRun(), true);
    }
    List<BatchStatus.Run> runs = w.step().decision().status().batch.runs;
    assertThat(runs).hasSize(10);
    assertThat(runs.get(0).job).isEqualTo("fraud-29000012");
    assertThat(runs.get(9).job).isEqualTo("fraud-29000003");
  }

  @Test
  void aRepeatedReconcileAtEveryStepIsANoOp() {
    BatchWorld.SimJob run = w.startRun();
    w.version = "2.0.0";
    assertRepeatIsNoOp();
    w.finish(w.validationJob(), true);
    w.gateValues.put("accuracy", 0.95);
    assertRepeatIsNoOp();
    w.finish(run, true);
    assertRepeatIsNoOp();
    assertThat(w.status().stable.version).isEqualTo("2.0.0");
  }

  private void assertRepeatIsNoOp() {
    w.settle();
    ModelDeploymentStatus before = w.step().decision().status();
    String cron = w.cron.revision + w.cron.suspended;
    ModelDeploymentStatus again = w.step().decision().status();
    assertThat(Json.canonical(again)).isEqualTo(Json.canonical(before));
    assertThat(StatusEvents.between(before, again)).isEmpty();
    assertThat(w.cron.revision + w.cron.suspended).isEqualTo(cron);
  }

  private void promoteVersion2() {
    w.version = "2.0.0";
    w.step();
    w.finish(w.validationJob(), true);
    w.gateValues.put("accuracy", 0.95);
    w.settle();
    assertThat(w.cron.revision).isEqualTo(V2);
    assertThat(w.status().stable.version).isEqualTo("2.0.0");
  }
}
