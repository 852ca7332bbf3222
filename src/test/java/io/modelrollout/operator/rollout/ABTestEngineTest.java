package io.modelrollout.operator.rollout;

import static io.modelrollout.operator.rollout.World.revisionOf;
import static io.modelrollout.operator.testing.StrategyFixtures.rate;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelrollout.operator.api.ABTestSpec;
import io.modelrollout.operator.api.Condition;
import io.modelrollout.operator.api.ExperimentStatus;
import io.modelrollout.operator.api.ExperimentStatus.Decision;
import io.modelrollout.operator.api.HistoryEntry.Outcome;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.status.Conditions;
import io.modelrollout.operator.status.EventSpec;
import io.modelrollout.operator.status.StatusEvents;
import io.modelrollout.operator.support.Json;
import io.modelrollout.operator.testing.Fixtures;
import io.modelrollout.operator.testing.StrategyFixtures;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The A/B test strategy through the simulated world, capacity checked at every reconcile. */
class ABTestEngineTest {
  static final String V1 = revisionOf("1.0.0");
  static final String V2 = revisionOf("2.0.0");
  static final String KEY = "ab/conversion";
  World w;

  private void start(ABTestSpec.OnWin onWin, ABTestSpec.OnNoWin onNoWin) {
    var p = StrategyFixtures.abTest("5s", "20s", 1000);
    p.abTest.onWin = onWin;
    p.abTest.onNoWin = onNoWin;
    p.gates.add(Fixtures.gate("errors", "errors{version=\"{{version}}\"}", 0.01));
    p.gates.get(0).count = 1;
    p.abTest.guardrails = List.of("errors");
    w = new World(p);
    w.checkSurge = true;
    w.gateValues.put("errors", 0.001);
    w.step();
    w.podsReady();
    assertThat(w.step().status().phase).isEqualTo(Phase.Healthy);
    w.version = "2.0.0";
    RolloutDecision d = w.step();
    assertThat(d.status().currentStep).isEqualTo("setWeight 50");
    w.podsReady();
    d = w.step();
    w.podsReady();
    d = w.settle();
    assertThat(d.status().currentStep).isEqualTo("A/B test conversion at 50%");
    assertThat(d.canaryWeight()).isEqualTo(50);
    assertThat(d.status().experiment.decision).isEqualTo(Decision.Running);
  }

  /** Looks every second for {@code seconds}, the counts growing linearly to the given totals. */
  private RolloutDecision run(int seconds, double cn, double cs, double tn, double ts) {
    RolloutDecision d = null;
    for (int i = 1; i <= seconds && w.status().canary != null; i++) {
      double f = (double) i / seconds;
      w.gateAnswers.put(KEY, rate(cn * f, cs * f, tn * f, ts * f));
      w.advance(Duration.ofSeconds(1));
      d = w.step();
      w.podsReady();
    }
    return d;
  }

  @Test
  void aSignificantWinnerIsPromotedOnceMinDurationHasPassed() {
    start(ABTestSpec.OnWin.Promote, ABTestSpec.OnNoWin.KeepControl);
    w.gateAnswers.put(KEY, rate(2000, 200, 2000, 320));
    w.advance(Duration.ofSeconds(1));
    RolloutDecision d = w.step();
    ExperimentStatus ex = d.status().experiment;
    assertThat(ex.decision).as("before minDuration").isEqualTo(Decision.Running);
    assertThat(ex.message).startsWith("running: minDuration not reached");
    assertThat(ex.sampleSizeHint).as("rate 0.1, MDE 0.05, α 0.05, power 0.8").isEqualTo(686);
    assertThat(ex.metrics.get(0).treatment.value).isEqualTo(0.16);
    assertThat(ex.metrics.get(0).difference.sequentialPValue).isLessThan(0.05);
    assertThat(ex.metrics.get(0).difference.pValue).as("fixed test only at the end").isNull();
    assertThat(ex.sampleRatio.mismatch).isFalse();
    w.advance(Duration.ofSeconds(4));
    d = w.step();
    ex = d.status().experiment;
    assertThat(ex.decision).isEqualTo(Decision.TreatmentWins);
    assertThat(ex.metrics.get(0).difference.significant).isTrue();
    assertThat(ex.metrics.get(0).difference.interval).isEqualTo("AlwaysValid");
    assertThat(ex.metrics.get(0).difference.low).isGreaterThan(0);
    List<EventSpec> events = StatusEvents.between(null, d.status());
    assertThat(events).anySatisfy(e -> assertThat(e.reason()).isEqualTo("ExperimentDecided"));
    d = w.settle();
    assertThat(d.status().stable.version).isEqualTo("2.0.0");
    assertThat(d.status().history.get(0).outcome).isEqualTo(Outcome.Promoted);
    assertThat(d.status().experiment.decision)
        .as("the last test stays visible")
        .isEqualTo(Decision.TreatmentWins);
  }

  @Test
  void noDifferenceAtMaxDurationKeepsControl() {
    start(ABTestSpec.OnWin.Promote, ABTestSpec.OnNoWin.KeepControl);
    RolloutDecision d = run(25, 20000, 2000, 20000, 2010);
    ModelDeploymentStatus st = d.status();
    assertThat(st.experiment.decision).isEqualTo(Decision.NoDifference);
    assertThat(st.experiment.metrics.get(0).difference.pValue).isGreaterThan(0.05);
    assertThat(st.experiment.metrics.get(0).difference.interval).isEqualTo("Newcombe");
    assertThat(st.phase).isEqualTo(Phase.RolledBack);
    assertThat(st.history.get(0).reason)
        .startsWith("A/B test NoDifference: no significant difference");
    assertThat(d.canaryWeight()).isZero();
    assertThat(st.failedRevision).isEqualTo(V2);
  }

  @Test
  void tooFewSamplesAtMaxDurationIsInconclusiveAndNeverPromotes() {
    start(ABTestSpec.OnWin.Promote, ABTestSpec.OnNoWin.Manual);
    RolloutDecision d = run(25, 400, 40, 400, 60);
    ModelDeploymentStatus st = d.status();
    assertThat(st.experiment.decision).isEqualTo(Decision.Inconclusive);
    assertThat(st.experiment.message).contains("never promoted");
    assertThat(st.phase).isEqualTo(Phase.Paused);
    assertThat(Conditions.find(st.conditions, Condition.PAUSED).reason)
        .isEqualTo("ExperimentDecided");
    assertThat(st.canary.version).as("waits for a person").isEqualTo("2.0.0");
    w.advance(Duration.ofMinutes(5));
    assertThat(w.step().status().canary).as("never promotes by itself").isNotNull();
    w.action = "abort";
    assertThat(w.step().status().phase).isEqualTo(Phase.RolledBack);
  }

  @Test
  void aSampleRatioMismatchInvalidatesTheTestEvenWhenTheTreatmentLooksBetter() {
    start(ABTestSpec.OnWin.Promote, ABTestSpec.OnNoWin.KeepControl);
    w.gateAnswers.put(KEY, rate(10000, 1000, 8000, 1600));
    w.advance(Duration.ofSeconds(6));
    RolloutDecision d = w.step();
    ModelDeploymentStatus st = d.status();
    assertThat(st.experiment.decision).isEqualTo(Decision.Invalid);
    assertThat(st.experiment.sampleRatio.mismatch).isTrue();
    assertThat(st.experiment.sampleRatio.pValue).isLessThan(0.001);
    assertThat(st.phase).isEqualTo(Phase.RolledBack);
    assertThat(st.history.get(0).reason).startsWith("A/B test invalid: sample ratio mismatch");
    assertThat(StatusEvents.between(null, st))
        .anySatisfy(
            e -> {
              assertThat(e.reason()).isEqualTo("SampleRatioMismatch");
              assertThat(e.warning()).isTrue();
            });
  }

  @Test
  void aSignificantLossKeepsControl() {
    start(ABTestSpec.OnWin.Promote, ABTestSpec.OnNoWin.KeepControl);
    RolloutDecision d = run(8, 5000, 800, 5000, 500);
    assertThat(d.status().experiment.decision).isEqualTo(Decision.ControlWins);
    assertThat(d.status().phase).isEqualTo(Phase.RolledBack);
  }

  @Test
  void aFailingGuardrailEndsTheTestAtOnce() {
    start(ABTestSpec.OnWin.Promote, ABTestSpec.OnNoWin.KeepControl);
    w.gateValues.put("errors", 0.5);
    w.gateAnswers.put(KEY, rate(100, 10, 100, 10));
    w.advance(Duration.ofSeconds(1));
    RolloutDecision d = w.step();
    assertThat(d.status().phase).isEqualTo(Phase.RolledBack);
    assertThat(d.status().history.get(0).reason).startsWith("guardrail gate errors failed");
  }

  @Test
  void aManualWinWaitsForPromotion() {
    start(ABTestSpec.OnWin.Manual, ABTestSpec.OnNoWin.KeepControl);
    RolloutDecision d = run(8, 5000, 500, 5000, 800);
    assertThat(d.status().experiment.decision).isEqualTo(Decision.TreatmentWins);
    assertThat(d.status().phase).isEqualTo(Phase.Paused);
    assertThat(d.canaryWeight()).as("the split stays while a person decides").isEqualTo(50);
    w.action = "promote";
    w.step();
    assertThat(w.settle().status().stable.version).isEqualTo("2.0.0");
  }

  @Test
  void theAlwaysValidPValueSurvivesRestartsAndOnlyGoesDown() {
    start(ABTestSpec.OnWin.Promote, ABTestSpec.OnNoWin.KeepControl);
    double previous = 1;
    for (int i = 1; i <= 4; i++) {
      // a noisy early lead that fades: the running minimum keeps the strongest evidence
      double ts = i == 1 ? 130 : 100 * i + 5;
      w.gateAnswers.put(KEY, rate(1000 * i, 100 * i, 1000 * i, ts));
      w.advance(Duration.ofSeconds(1));
      Double p = w.step().status().experiment.metrics.get(0).difference.sequentialPValue;
      assertThat(p).isLessThanOrEqualTo(previous);
      previous = p;
    }
    RolloutDecision first = w.step();
    RolloutDecision again = w.step();
    assertThat(Json.canonical(again.status())).isEqualTo(Json.canonical(first.status()));
    assertThat(again.replicas())
        .isEqualTo(Map.of(V1, first.replicas().get(V1), V2, first.replicas().get(V2)));
  }
}
