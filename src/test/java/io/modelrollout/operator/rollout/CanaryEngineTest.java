package io.modelrollout.operator.rollout;

import static io.modelrollout.operator.rollout.World.revisionOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelrollout.operator.analysis.Measurement;
import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.Condition;
import io.modelrollout.operator.api.HistoryEntry.Outcome;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.RolloutPolicySpec;
import io.modelrollout.operator.api.Verdict;
import io.modelrollout.operator.status.Conditions;
import io.modelrollout.operator.testing.Fixtures;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The canary strategy, step by step, through a simulated world. */
class CanaryEngineTest {
  static final String V1 = revisionOf("1.0.0");
  static final String V2 = revisionOf("2.0.0");
  World w;

  static RolloutPolicySpec policy(int maxSurge) {
    RolloutPolicySpec p =
        Fixtures.canarySpec(
            maxSurge,
            CanaryStep.weight(25),
            CanaryStep.pause("1m"),
            CanaryStep.analysis("errors"),
            CanaryStep.weight(50),
            CanaryStep.pause(null));
    p.gates.add(Fixtures.gate("errors", "errors{version=\"{{version}}\"}", 0.01));
    return p;
  }

  @BeforeEach
  void healthyAtVersion1() {
    w = new World(policy(1));
    RolloutDecision first = w.step();
    assertThat(first.status().phase).isEqualTo(Phase.Initializing);
    assertThat(first.replicas()).isEqualTo(Map.of(V1, 4));
    w.podsReady();
    RolloutDecision healthy = w.step();
    assertThat(healthy.status().phase).isEqualTo(Phase.Healthy);
    assertThat(healthy.status().history)
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.outcome).isEqualTo(Outcome.Promoted);
              assertThat(h.reason).isEqualTo("initial version");
            });
    w.version = "2.0.0";
  }

  @Test
  void walksEveryStepThenPromotesAndScalesTheOldRevisionDown() {
    RolloutDecision d = w.step();
    assertThat(d.status().canary.revision).isEqualTo(V2);
    assertThat(d.status().currentStep).isEqualTo("setWeight 25");
    assertThat(d.replicas()).isEqualTo(Map.of(V1, 4, V2, 1));
    assertThat(d.canaryWeight()).as("no weight before the canary has a ready pod").isZero();
    assertThat(d.status().phase).isEqualTo(Phase.Progressing);

    w.podsReady();
    d = w.step();
    assertThat(d.status().currentStep).isEqualTo("pause 1m");
    assertThat(d.canaryWeight()).isEqualTo(25);
    assertThat(d.status().weights.stable).isEqualTo(75);
    assertThat(d.requeueAfter()).isEqualTo(Duration.ofMinutes(1));

    w.advance(Duration.ofSeconds(59));
    assertThat(w.step().status().currentStep).isEqualTo("pause 1m");
    w.advance(Duration.ofSeconds(1));
    d = w.step();
    assertThat(d.status().currentStep).isEqualTo("analysis errors");
    w.gateValues.put("errors", 0.001);
    d = w.step();
    assertThat(d.status().gates)
        .singleElement()
        .satisfies(
            g -> {
              assertThat(g.verdict).isEqualTo(Verdict.Pending);
              assertThat(g.successes).isEqualTo(1);
              assertThat(g.value).isEqualTo(0.001);
              assertThat(g.threshold).isEqualTo("<= 0.01");
            });
    assertThat(d.requeueAfter()).isEqualTo(Duration.ofSeconds(1));
    w.advance(Duration.ofSeconds(1));
    d = w.step();
    assertThat(d.status().currentStep).isEqualTo("setWeight 50");
    assertThat(d.replicas()).isEqualTo(Map.of(V1, 3, V2, 2));
    assertThat(d.canaryWeight()).as("the weight waits for the second canary pod").isEqualTo(25);

    w.podsReady();
    d = w.step();
    assertThat(d.status().currentStep).isEqualTo("pause until promoted");
    assertThat(d.canaryWeight()).isEqualTo(50);
    assertThat(d.status().phase).isEqualTo(Phase.Paused);
    assertThat(Conditions.find(d.status().conditions, Condition.PAUSED).reason)
        .isEqualTo("PauseStep");
    assertThat(d.requeueAfter()).isNull();

    w.advance(Duration.ofHours(5));
    assertThat(w.step().status().currentStep)
        .as("an indefinite pause waits")
        .isEqualTo("pause until promoted");

    w.action = "promote";
    d = w.step();
    assertThat(d.actionConsumed()).isTrue();
    assertThat(d.status().lastAction.action).isEqualTo("promote");
    assertThat(d.status().currentStep).isEqualTo("promote");
    assertThat(d.replicas())
        .as("surge first: stable shrinks only by canary pods that are ready")
        .isEqualTo(Map.of(V1, 2, V2, 3));
    assertThat(d.canaryWeight()).isEqualTo(50);

    w.podsReady();
    d = w.step();
    assertThat(d.canaryWeight()).as("traffic follows the ready canary pods").isEqualTo(75);
    assertThat(d.replicas()).isEqualTo(Map.of(V1, 1, V2, 4));
    assertThat(d.status().canary).isNotNull();

    w.podsReady();
    d = w.step();
    ModelDeploymentStatus st = d.status();
    assertThat(st.stable.revision).isEqualTo(V2);
    assertThat(st.stable.version).isEqualTo("2.0.0");
    assertThat(st.canary).isNull();
    assertThat(st.phase).isEqualTo(Phase.Healthy);
    assertThat(st.history.get(0).outcome).isEqualTo(Outcome.Promoted);
    assertThat(st.history.get(0).version).isEqualTo("2.0.0");
    assertThat(st.scaleDown).singleElement().satisfies(s -> assertThat(s.revision).isEqualTo(V1));
    assertThat(d.replicas())
        .as("the old revision keeps its pods until scaleDownDelay")
        .isEqualTo(Map.of(V2, 4, V1, 1));
    assertThat(d.stableRevision()).isEqualTo(V2);
    assertThat(d.canaryWeight()).isZero();
    assertThat(d.requeueAfter()).isEqualTo(Duration.ofSeconds(2));

    w.advance(Duration.ofSeconds(2));
    d = w.step();
    assertThat(d.replicas()).isEqualTo(Map.of(V2, 4));
    assertThat(d.status().scaleDown).isEmpty();
  }

  @Test
  void aFailingGateRollsBackAndTheVersionIsNotRetriedUntilAsked() {
    toAnalysis();
    w.gateValues.put("errors", 0.05);
    RolloutDecision d = w.step();
    ModelDeploymentStatus st = d.status();
    assertThat(st.phase).isEqualTo(Phase.RolledBack);
    assertThat(st.canary).isNull();
    assertThat(st.failedRevision).isEqualTo(V2);
    assertThat(d.canaryWeight()).isZero();
    assertThat(d.replicas()).isEqualTo(Map.of(V1, 4, V2, 0));
    assertThat(st.gates)
        .singleElement()
        .satisfies(g -> assertThat(g.verdict).isEqualTo(Verdict.Fail));
    Condition degraded = Conditions.find(st.conditions, Condition.DEGRADED);
    assertThat(degraded.status).isEqualTo("True");
    assertThat(degraded.reason).isEqualTo("RolledBack");
    assertThat(degraded.message)
        .isEqualTo(
            "version 2.0.0 rolled back: gate errors failed: value 0.05, threshold <= 0.01 (1 failure); version 1.0.0 keeps serving");
    assertThat(st.history.get(0).outcome).isEqualTo(Outcome.RolledBack);
    assertThat(Conditions.find(st.conditions, Condition.READY).status).isEqualTo("True");

    w.advance(Duration.ofMinutes(10));
    assertThat(w.step().status().canary).as("not retried on its own").isNull();

    w.action = "retry";
    d = w.step();
    assertThat(d.status().canary.revision).isEqualTo(V2);
    assertThat(d.status().currentStepIndex).isZero();
    assertThat(d.status().failedRevision).isNull();
    assertThat(d.status().lastAction.message).isEqualTo("retrying version 2.0.0");
  }

  @Test
  void aNewVersionAfterARollbackStartsAFreshRollout() {
    toAnalysis();
    w.gateValues.put("errors", 0.05);
    w.step();
    w.version = "2.0.1";
    RolloutDecision d = w.step();
    assertThat(d.status().canary.version).isEqualTo("2.0.1");
    assertThat(d.status().failedRevision).isNull();
    assertThat(d.replicas()).as("the failed revision's Deployment goes away").doesNotContainKey(V2);
  }

  @Test
  void failuresWithinTheLimitDoNotRollBack() {
    w.policy.gates.get(0).failureLimit = 1;
    toAnalysis();
    w.gateValues.put("errors", 0.05);
    RolloutDecision d = w.step();
    assertThat(d.status().gates.get(0).verdict).isEqualTo(Verdict.Pending);
    assertThat(d.status().gates.get(0).failures).isEqualTo(1);
    w.advance(Duration.ofSeconds(1));
    assertThat(w.step().status().phase).isEqualTo(Phase.RolledBack);
  }

  @Test
  void aGateIsDueOneIntervalAfterItsLastMeasurementToTheMillisecond() {
    w.policy.gates.get(0).count = 5;
    toAnalysis();
    w.gateValues.put("errors", 0.0);
    java.time.Instant start = w.clock.instant();
    w.advance(Duration.ofMillis(600));
    RolloutDecision d = w.step();
    assertThat(d.status().gates.get(0).measuredAt)
        .as("measured at .600, not at the whole second")
        .isEqualTo(start.plusMillis(600).toString());
    assertThat(d.requeueAfter()).isEqualTo(Duration.ofSeconds(1));
    assertThat(new RolloutEngine(w.clock).gatesNext(w.snapshot(Map.of()), d.status()).values())
        .as("what the operator schedules: the next measurement, one interval on")
        .containsExactly(start.plusMillis(1600));
    w.specPaused = true;
    assertThat(new RolloutEngine(w.clock).gatesNext(w.snapshot(Map.of()), d.status())).isEmpty();
    w.specPaused = false;
    int measured = w.measured.size();

    w.advance(Duration.ofMillis(900)); // 1.5 s: the second has turned, the interval has not
    d = w.step();
    assertThat(w.measured).hasSize(measured);
    assertThat(d.status().gates.get(0).successes).isEqualTo(1);
    assertThat(d.requeueAfter()).isEqualTo(Duration.ofMillis(100));

    w.advance(Duration.ofMillis(100));
    d = w.step();
    assertThat(w.measured).hasSize(measured + 1);
    assertThat(d.status().gates.get(0).successes).isEqualTo(2);
    assertThat(d.status().gates.get(0).measuredAt).isEqualTo(start.plusMillis(1600).toString());
  }

  @Test
  void missingDataPausesAndNeverPromotesThenResumesWhenDataReturns() {
    toAnalysis();
    w.gateAnswers.put(
        "errors",
        new Measurement.Error(Measurement.ErrorKind.UNREACHABLE, "connection refused", "q"));
    RolloutDecision d = null;
    for (int i = 0; i < 5; i++) {
      d = w.step();
      w.advance(Duration.ofSeconds(1));
    }
    assertThat(d.status().phase).isEqualTo(Phase.Paused);
    assertThat(d.status().currentStep).isEqualTo("analysis errors");
    Condition paused = Conditions.find(d.status().conditions, Condition.PAUSED);
    assertThat(paused.reason).isEqualTo("GateInconclusive");
    assertThat(paused.message).contains("unreachable: connection refused");
    assertThat(d.status().gates.get(0).inconclusives).isEqualTo(5);

    w.gateAnswers.clear();
    w.gateValues.put("errors", 0.0);
    w.step();
    w.advance(Duration.ofSeconds(1));
    d = w.step();
    assertThat(d.status().currentStep).isEqualTo("setWeight 50");
    assertThat(d.status().phase).isEqualTo(Phase.Progressing);
  }

  @Test
  void aGateWithoutDataPastTheProgressDeadlineNamesTheQueryThatReturnedNothing() {
    toAnalysis();
    RolloutDecision d = null;
    for (int i = 0; i < 62; i++) {
      d = w.step();
      w.advance(Duration.ofSeconds(1));
    }
    assertThat(d.status().phase)
        .as("never promotes, never rolls back on missing data")
        .isEqualTo(Phase.Paused);
    Condition paused = Conditions.find(d.status().conditions, Condition.PAUSED);
    assertThat(paused.reason).isEqualTo("GateInconclusive");
    assertThat(paused.message)
        .startsWith("gate errors has had no usable value for 1m")
        .contains("longer than progressDeadline 1m")
        .contains("no data: no series")
        .contains("the query as sent: q")
        .contains("{{versionLabel}}");
  }

  @Test
  void tooManyInconclusiveMeasurementsFailTheGateWhenALimitIsSet() {
    w.policy.gates.get(0).inconclusiveLimit = 2;
    toAnalysis();
    RolloutDecision d = null;
    for (int i = 0; i < 3; i++) {
      d = w.step();
      w.advance(Duration.ofSeconds(1));
    }
    assertThat(d.status().phase).isEqualTo(Phase.RolledBack);
    assertThat(d.status().history.get(0).reason)
        .contains("inconclusive 3 times in a row")
        .contains("the query as sent: q");
  }

  @Test
  void canaryPodsThatNeverBecomeReadyMissTheProgressDeadline() {
    w.held.add(V2);
    RolloutDecision d = w.step();
    assertThat(d.requeueAfter()).isEqualTo(Duration.ofSeconds(60));
    w.advance(Duration.ofSeconds(59));
    assertThat(w.step().status().canary).isNotNull();
    w.advance(Duration.ofSeconds(1));
    d = w.step();
    assertThat(d.status().phase).isEqualTo(Phase.RolledBack);
    assertThat(Conditions.find(d.status().conditions, Condition.DEGRADED).message)
        .contains("version 2.0.0 had 0/1 ready pods at step 'setWeight 25' after 1m");
  }

  @Test
  void automaticRollbackOffPausesOnAFailedGateUntilAPersonDecides() {
    w.policy.rollback = new RolloutPolicySpec.RollbackSpec();
    w.policy.rollback.automatic = false;
    toAnalysis();
    w.gateValues.put("errors", 0.05);
    RolloutDecision d = w.step();
    assertThat(d.status().phase).isEqualTo(Phase.Paused);
    assertThat(Conditions.find(d.status().conditions, Condition.PAUSED).reason)
        .isEqualTo("GateFailed");
    w.action = "promote";
    d = w.step();
    assertThat(d.status().currentStep).isEqualTo("setWeight 50");
  }

  @Test
  void aNewVersionMidRolloutReplacesTheCanaryAndRestartsTheSteps() {
    w.step();
    w.podsReady();
    w.step();
    w.version = "3.0.0";
    RolloutDecision d = w.step();
    assertThat(d.status().canary.version).isEqualTo("3.0.0");
    assertThat(d.status().currentStepIndex).isZero();
    assertThat(d.replicas()).doesNotContainKey(V2).containsKey(revisionOf("3.0.0"));
    assertThat(d.status().history.get(0).outcome).isEqualTo(Outcome.Aborted);
    assertThat(d.status().history.get(0).reason).isEqualTo("superseded by version 3.0.0");
    assertThat(d.canaryWeight()).isZero();
  }

  @Test
  void goingBackToTheStableVersionMidRolloutEndsTheRolloutWithoutMarkingAFailure() {
    w.step();
    w.podsReady();
    w.step();
    w.version = "1.0.0";
    RolloutDecision d = w.step();
    assertThat(d.status().canary).isNull();
    assertThat(d.status().failedRevision).isNull();
    assertThat(d.status().phase).isEqualTo(Phase.Healthy);
    assertThat(d.replicas()).isEqualTo(Map.of(V1, 4));
    assertThat(d.status().history.get(0).reason)
        .isEqualTo("the spec returned to the stable version 1.0.0");
  }

  @Test
  void anEarlierVersionRollsOutAgainThroughThePolicy() {
    w.action = "promote-full";
    assertThat(w.settle().status().stable.version).isEqualTo("2.0.0");
    w.version = "1.0.0";
    RolloutDecision d = w.step();
    assertThat(d.status().canary.version).isEqualTo("1.0.0");
    assertThat(d.status().currentStep)
        .as("its pods still run, so the first weight step completes at once")
        .isEqualTo("pause 1m");
    assertThat(d.canaryWeight()).isEqualTo(25);
    assertThat(d.status().scaleDown)
        .as("a revision pending scale-down that becomes canary stays")
        .isEmpty();
  }

  @Test
  void theWeightDropsToZeroWhenTheCanaryLosesItsReadyPods() {
    w.step();
    w.podsReady();
    assertThat(w.step().canaryWeight()).isEqualTo(25);
    w.checkCapacity = false; // the world takes the pods away, not the engine
    w.held.add(V2);
    w.podsLost(V2, 1);
    assertThat(w.step().canaryWeight()).isZero();
  }

  @Test
  void historyKeepsTheLastTenVersions() {
    w.policy = null;
    for (int i = 2; i < 15; i++) {
      w.version = i + ".0.0";
      w.step();
      w.podsReady();
      w.step();
    }
    List<String> versions = w.step().status().history.stream().map(h -> h.version).toList();
    assertThat(versions).hasSize(10).startsWith("14.0.0", "13.0.0");
  }

  @Test
  void withoutAPolicyANewVersionReplacesTheOldOnceReady() {
    w.policy = null;
    RolloutDecision d = w.step();
    assertThat(d.replicas()).isEqualTo(Map.of(V1, 4, V2, 4));
    assertThat(d.canaryWeight()).isZero();
    w.podsReady();
    d = w.step();
    assertThat(d.status().stable.revision).isEqualTo(V2);
    assertThat(d.status().history.get(0).reason).isEqualTo("ready; no rollout policy");
  }

  @Test
  void mirrorAndHeaderRouteStepsLastUntilChangedAndEndAtPromotion() {
    CanaryStep header = new CanaryStep();
    header.setHeaderRoute = new CanaryStep.HeaderRoute();
    CanaryStep.RouteMatch m = new CanaryStep.RouteMatch();
    m.cookie = new CanaryStep.NameValue();
    m.cookie.name = "variant";
    m.cookie.value = "b";
    header.setHeaderRoute.match = List.of(m);
    CanaryStep mirror = new CanaryStep();
    mirror.setMirror = new CanaryStep.Mirror();
    mirror.setMirror.percent = 40;
    w.policy =
        Fixtures.canarySpec(
            1,
            header,
            mirror,
            CanaryStep.pause("10s"),
            CanaryStep.weight(50),
            CanaryStep.pause(null));
    w.step();
    w.podsReady();
    RolloutDecision d = w.step();
    assertThat(d.status().currentStep).isEqualTo("pause 10s");
    assertThat(d.split().mirrorPercent()).isEqualTo(40);
    assertThat(d.split().matches()).containsExactly(new RouteMatchSpec("variant", "b", true));
    assertThat(d.canaryWeight()).isZero();
    assertThat(d.status().weights.mirror).isEqualTo(40);
    w.advance(Duration.ofSeconds(10));
    w.step();
    w.podsReady();
    d = w.step();
    assertThat(d.canaryWeight()).isEqualTo(50);
    assertThat(d.split().mirrorPercent()).as("still mirroring").isEqualTo(40);
    w.action = "promote";
    d = w.settle();
    assertThat(d.status().canary).isNull();
    assertThat(d.split().mirrorPercent()).isZero();
    assertThat(d.split().matches()).isEmpty();
  }

  private void toAnalysis() {
    w.step();
    w.podsReady();
    w.step();
    w.advance(Duration.ofMinutes(1));
    RolloutDecision d = w.step();
    assertThat(d.status().currentStep).isEqualTo("analysis errors");
  }
}
