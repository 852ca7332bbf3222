package io.modelrollout.operator.rollout;

import static io.modelrollout.operator.rollout.World.revisionOf;
import static io.modelrollout.operator.testing.StrategyFixtures.bell;
import static io.modelrollout.operator.testing.StrategyFixtures.histogram;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelrollout.operator.api.Condition;
import io.modelrollout.operator.api.HistoryEntry.Outcome;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.ShadowSpec.FollowUp;
import io.modelrollout.operator.api.Verdict;
import io.modelrollout.operator.status.Conditions;
import io.modelrollout.operator.status.StatusEvents;
import io.modelrollout.operator.support.Json;
import io.modelrollout.operator.testing.StrategyFixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shadow strategy through the simulated world, capacity checked at every reconcile. */
class ShadowEngineTest {
  static final String V1 = revisionOf("1.0.0");
  static final String V2 = revisionOf("2.0.0");
  static final double[] STABLE = bell(1000, 4.5);

  World w;

  private void start(FollowUp then) {
    w = new World(StrategyFixtures.shadow(50, "10s", then, 0.1));
    w.checkSurge = true;
    w.step();
    w.podsReady();
    assertThat(w.step().status().phase).isEqualTo(Phase.Healthy);
    w.version = "2.0.0";
  }

  /** Until the shadow's pods are ready and it is compared: the mirror is on, no weight. */
  private RolloutDecision toComparison() {
    RolloutDecision d = w.step();
    assertThat(d.status().currentStep)
        .isEqualTo("shadow with 1 pod, mirroring 50% of matching requests");
    assertThat(d.replicas())
        .as("stable at full size, the shadow from the surge")
        .isEqualTo(Map.of(V1, 4, V2, 1));
    assertThat(d.split().mirrorPercent()).as("nothing to mirror to before a ready pod").isZero();
    w.podsReady();
    d = w.step();
    assertThat(d.status().currentStep).isEqualTo("shadow analysis prediction-drift for 10s");
    assertThat(d.canaryWeight()).isZero();
    assertThat(d.split().mirrorPercent()).isEqualTo(50);
    assertThat(d.split().mirrorMatches())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.method()).isEqualTo("POST");
              assertThat(m.pathPrefix()).isEqualTo("/predict");
            });
    return d;
  }

  @Test
  void aShadowThatMatchesStableIsPromotedDirectlyAfterItsDurationAndNeverTakesTraffic() {
    start(FollowUp.Direct);
    toComparison();
    w.gateAnswers.put("prediction-drift", histogram(STABLE, bell(40, 4.5)));
    RolloutDecision d = w.step();
    assertThat(d.status().gates)
        .singleElement()
        .satisfies(
            g -> {
              assertThat(g.verdict).isEqualTo(Verdict.Pending);
              assertThat(g.message).matches("waiting for samples: 3[0-9] of 100 predictions");
              assertThat(g.successes).isZero();
            });
    w.gateAnswers.put("prediction-drift", histogram(STABLE, bell(500, 4.6)));
    for (int i = 0; i < 12 && w.status().canary != null; i++) {
      w.advance(Duration.ofSeconds(1));
      d = w.step();
      if (d.status().currentStep != null && d.status().currentStep.startsWith("shadow")) {
        assertThat(d.canaryWeight()).as("no user sees the shadow").isZero();
        assertThat(d.status().gates.get(0).comparison.buckets).hasSize(10);
      }
      if (w.clock.instant().isBefore(java.time.Instant.parse("2026-01-01T00:00:09Z"))) {
        assertThat(d.status().currentStep).startsWith("shadow analysis");
      }
      w.podsReady();
    }
    d = w.settle();
    ModelDeploymentStatus st = d.status();
    assertThat(st.stable.version).isEqualTo("2.0.0");
    assertThat(st.history.get(0).outcome).isEqualTo(Outcome.Promoted);
    assertThat(st.gates.get(0).successes)
        .as("measured through the whole duration, not only until count")
        .isGreaterThan(2);
    assertThat(d.split().mirrorPercent()).isZero();
  }

  @Test
  void aShadowThatNeverSeesMinSamplesIsInconclusiveAfterDurationAndProgressDeadline() {
    start(FollowUp.Direct);
    toComparison();
    Instant started = Instant.parse(w.status().stepStartedAt);
    Instant deadline = started.plusSeconds(10 + 60); // duration + progressDeadline
    // 40 predictions in every window: never the 100 the comparison needs
    w.gateAnswers.put("prediction-drift", histogram(STABLE, bell(40, 4.5)));
    RolloutDecision d = w.step();
    while (w.clock.instant().isBefore(deadline)) {
      assertThat(d.status().phase).isEqualTo(Phase.Progressing);
      assertThat(d.status().gates.get(0).verdict).isEqualTo(Verdict.Pending);
      assertThat(d.status().gates.get(0).message).startsWith("waiting for samples: ");
      assertThat(d.split().mirrorPercent()).as("still mirroring").isEqualTo(50);
      w.advance(Duration.ofSeconds(5));
      d = w.step();
    }
    ModelDeploymentStatus st = d.status();
    assertThat(st.phase).isEqualTo(Phase.RolledBack);
    assertThat(st.history.get(0).outcome).isEqualTo(Outcome.RolledBack);
    assertThat(st.history.get(0).reason)
        .matches(
            "shadow inconclusive: gate prediction-drift had too few samples: 3[0-9] of 100"
                + " predictions of the new revision after the shadow's duration 10s and"
                + " progressDeadline 1m; mirror more requests \\(mirrorPercent, match\\) or lower"
                + " minSamples");
    assertThat(Conditions.find(st.conditions, Condition.DEGRADED).message)
        .contains("too few samples");
    assertThat(st.gates.get(0).verdict).isEqualTo(Verdict.Fail);
    assertThat(st.gates.get(0).message).startsWith("too few samples: ");
    assertThat(StatusEvents.between(null, st))
        .anySatisfy(
            e -> {
              assertThat(e.reason()).isEqualTo("GateFailed");
              assertThat(e.message()).contains("too few samples");
            });
    assertThat(d.split().mirrorPercent()).as("mirror removed").isZero();
    assertThat(d.split().stableOnly()).isTrue();
    assertThat(st.failedRevision).as("not retried by itself").isEqualTo(V2);
  }

  @Test
  void theSampleDeadlineIsAWakeUpEvenWhenTheGateIsMeasuredRarely() {
    start(FollowUp.Direct);
    w.policy.gates.get(0).interval = "5m";
    w.gateAnswers.put("prediction-drift", histogram(STABLE, bell(40, 4.5)));
    w.step();
    w.podsReady();
    assertThat(w.step().status().currentStep).startsWith("shadow analysis");
    RolloutDecision d = w.step();
    assertThat(d.status().gates.get(0).message).startsWith("waiting for samples: ");
    w.advance(Duration.ofSeconds(10));
    d = w.step();
    assertThat(d.status().phase).as("duration over, samples short").isEqualTo(Phase.Progressing);
    assertThat(d.requeueAfter())
        .as("the next measurement is in 4m50s, the deadline in 1m")
        .isEqualTo(Duration.ofSeconds(60));
    w.advance(Duration.ofSeconds(60));
    d = w.step();
    assertThat(d.status().phase).isEqualTo(Phase.RolledBack);
    assertThat(d.status().history.get(0).reason).contains("too few samples: 3");
  }

  @Test
  void predictionsThatPickUpBeforeTheSampleDeadlineStillPass() {
    start(FollowUp.Direct);
    toComparison();
    w.gateAnswers.put("prediction-drift", histogram(STABLE, bell(40, 4.5)));
    w.advance(Duration.ofSeconds(30));
    RolloutDecision d = w.step();
    assertThat(d.status().phase).isEqualTo(Phase.Progressing);
    // predictions pick up before the deadline: the comparison counts, and the shadow passes
    w.gateAnswers.put("prediction-drift", histogram(STABLE, bell(500, 4.5)));
    for (int i = 0; i < 5 && w.status().canary != null; i++) {
      w.advance(Duration.ofSeconds(1));
      d = w.step();
      w.podsReady();
    }
    d = w.settle();
    assertThat(d.status().stable.version).isEqualTo("2.0.0");
    assertThat(d.status().history.get(0).outcome).isEqualTo(Outcome.Promoted);
  }

  @Test
  void predictionDriftRollsBackRemovesTheMirrorAndShowsWhereTheDistributionsDiffer() {
    start(FollowUp.Direct);
    toComparison();
    w.gateAnswers.put("prediction-drift", histogram(STABLE, bell(600, 7)));
    RolloutDecision d = w.step();
    ModelDeploymentStatus st = d.status();
    assertThat(st.phase).isEqualTo(Phase.RolledBack);
    assertThat(d.split().mirrorPercent()).as("mirror removed at once").isZero();
    assertThat(d.split().stableOnly()).isTrue();
    assertThat(st.gates.get(0).verdict).isEqualTo(Verdict.Fail);
    assertThat(st.gates.get(0).threshold).isEqualTo("PSI <= 0.1");
    assertThat(st.gates.get(0).comparison.psi).isGreaterThan(0.25);
    assertThat(st.gates.get(0).comparison.canarySamples).isEqualTo(600);
    assertThat(st.gates.get(0).comparison.buckets.get(9).canary)
        .isGreaterThan(st.gates.get(0).comparison.buckets.get(9).stable);
    assertThat(st.history.get(0).reason).startsWith("gate prediction-drift failed: value 1.");
    assertThat(Conditions.find(st.conditions, Condition.DEGRADED).message)
        .contains("threshold PSI <= 0.1");
    assertThat(StatusEvents.between(null, st))
        .anySatisfy(e -> assertThat(e.reason()).isEqualTo("RolledBack"));
    w.podsReady();
    d = w.step();
    assertThat(d.replicas())
        .as("shadow pods go once stable is ready")
        .isEqualTo(Map.of(V1, 4, V2, 0));
  }

  @Test
  void aLateDriftStillFailsBecausePassedGatesKeepBeingMeasuredForTheDuration() {
    start(FollowUp.Direct);
    toComparison();
    w.gateAnswers.put("prediction-drift", histogram(STABLE, bell(500, 4.5)));
    w.step();
    w.advance(Duration.ofSeconds(1));
    assertThat(w.step().status().gates.get(0).verdict).isEqualTo(Verdict.Pass);
    w.advance(Duration.ofSeconds(3));
    w.gateAnswers.put("prediction-drift", histogram(STABLE, bell(900, 8)));
    assertThat(w.step().status().phase).isEqualTo(Phase.RolledBack);
  }

  @Test
  void manualFollowUpWaitsWithTheMirrorOnUntilPromoted() {
    start(FollowUp.Manual);
    toComparison();
    w.gateAnswers.put("prediction-drift", histogram(STABLE, bell(500, 4.5)));
    RolloutDecision d = null;
    for (int i = 0; i < 12; i++) {
      w.advance(Duration.ofSeconds(1));
      d = w.step();
    }
    assertThat(d.status().phase).isEqualTo(Phase.Paused);
    assertThat(Conditions.find(d.status().conditions, Condition.PAUSED).reason)
        .isEqualTo("PauseStep");
    assertThat(d.split().mirrorPercent()).isEqualTo(50);
    assertThat(d.canaryWeight()).isZero();
    w.action = "promote";
    w.step();
    d = w.settle();
    assertThat(d.status().stable.version).isEqualTo("2.0.0");
  }

  @Test
  void aFollowUpCanaryStopsMirroringBeforeAnyWeightMoves() {
    start(FollowUp.Canary);
    toComparison();
    w.gateAnswers.put("prediction-drift", histogram(STABLE, bell(500, 4.5)));
    RolloutDecision d = null;
    for (int i = 0; i < 11; i++) {
      w.advance(Duration.ofSeconds(1));
      d = w.step();
      assertThat(d.split().mirrorPercent() > 0 && d.canaryWeight() > 0)
          .as("never mirror and weight at once")
          .isFalse();
    }
    assertThat(d.status().currentStep).isEqualTo("setWeight 50");
    w.podsReady();
    d = w.step();
    assertThat(d.canaryWeight()).isEqualTo(50);
    assertThat(d.split().mirrorPercent()).isZero();
    w.advance(Duration.ofSeconds(1));
    d = w.settle();
    assertThat(d.status().stable.version).isEqualTo("2.0.0");
  }

  @Test
  void theShadowGetsNoWeightEvenWhenStableLosesItsPods() {
    start(FollowUp.Direct);
    toComparison();
    w.podsLost(V1, 4);
    RolloutDecision d = w.step();
    assertThat(d.canaryWeight()).isZero();
    assertThat(d.split().canaryWeight()).isZero();
  }

  @Test
  void aRepeatedReconcileAtEveryStepOfAShadowIsANoOp() {
    start(FollowUp.Direct);
    w.step();
    w.podsReady();
    assertRepeatIsNoOp();
    w.gateAnswers.put("prediction-drift", histogram(STABLE, bell(500, 4.5)));
    for (int i = 0; i < 12 && w.status().canary != null; i++) {
      w.advance(Duration.ofSeconds(1));
      assertRepeatIsNoOp();
      w.podsReady();
    }
  }

  private void assertRepeatIsNoOp() {
    w.step(); // the world follows this decision (a stage that starts is measured next time)
    RolloutDecision first = w.step();
    RolloutDecision again = w.step();
    assertThat(Json.canonical(again.status())).isEqualTo(Json.canonical(first.status()));
    assertThat(StatusEvents.between(first.status(), again.status())).isEmpty();
    assertThat(again.split()).isEqualTo(first.split());
  }
}
