package io.modelrollout.operator.rollout;

import static io.modelrollout.operator.rollout.World.revisionOf;
import static io.modelrollout.operator.testing.StrategyFixtures.rate;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.modelrollout.operator.api.ABTestSpec;
import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.Condition;
import io.modelrollout.operator.api.ExperimentStatus;
import io.modelrollout.operator.api.ExperimentStatus.Decision;
import io.modelrollout.operator.api.HistoryEntry.Outcome;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.TrafficProvider;
import io.modelrollout.operator.api.TrafficSpec;
import io.modelrollout.operator.routing.RouteIntent;
import io.modelrollout.operator.routing.gatewayapi.HttpRoutes;
import io.modelrollout.operator.status.Conditions;
import io.modelrollout.operator.status.EventSpec;
import io.modelrollout.operator.status.StatusEvents;
import io.modelrollout.operator.support.Json;
import io.modelrollout.operator.testing.Fixtures;
import io.modelrollout.operator.testing.StrategyFixtures;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The A/B test strategy through the simulated world, capacity checked at every reconcile. */
class ABTestEngineTest {
  static final String V1 = revisionOf("1.0.0");
  static final String V2 = revisionOf("2.0.0");
  static final String KEY = "ab/conversion";
  World w;

  /** The header or cookie pins of the test, set before {@link #start}. */
  List<CanaryStep.RouteMatch> pins;

  private void start(ABTestSpec.OnWin onWin, ABTestSpec.OnNoWin onNoWin) {
    var p = StrategyFixtures.abTest("5s", "20s", 1000);
    p.abTest.onWin = onWin;
    p.abTest.onNoWin = onNoWin;
    p.abTest.match = pins;
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
  void theNextRolloutStartsWithoutTheLastOnesTest() {
    start(ABTestSpec.OnWin.Promote, ABTestSpec.OnNoWin.KeepControl);
    w.gateAnswers.put(KEY, rate(2000, 200, 2000, 320));
    w.advance(Duration.ofSeconds(1));
    w.step();
    w.advance(Duration.ofSeconds(4));
    assertThat(w.step().status().experiment.decision).isEqualTo(Decision.TreatmentWins);
    RolloutDecision d = w.settle();
    assertThat(d.status().stable.version).isEqualTo("2.0.0");
    assertThat(d.status().experiment.version).isEqualTo("2.0.0");
    w.version = "3.0.0";
    d = w.step();
    assertThat(d.status().canary.version).isEqualTo("3.0.0");
    assertThat(d.status().experiment)
        .as("2.0.0's A/B test is no evidence of 3.0.0's rollout")
        .isNull();
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
    assertThat(Conditions.find(st.conditions, Condition.DEGRADED).message)
        .isEqualTo(
            "version 2.0.0 rolled back: A/B test invalid: sample ratio mismatch: control 10000 and"
                + " treatment 8000 trials for an expected treatment share of 0.5 (chi-square p ="
                + " 2.96e-50 < 0.001); the assignment is broken, no winner is picked; version"
                + " 1.0.0 keeps serving");
    assertThat(StatusEvents.between(null, st))
        .anySatisfy(
            e -> {
              assertThat(e.reason()).isEqualTo("SampleRatioMismatch");
              assertThat(e.warning()).isTrue();
            });
  }

  @Test
  void cookieAndHeaderPinsSendTheirUsersToTheTreatmentForTheWholeTestAndEndWithIt() {
    CanaryStep.RouteMatch cookie = new CanaryStep.RouteMatch();
    cookie.cookie = new CanaryStep.NameValue();
    cookie.cookie.name = "ab-variant";
    cookie.cookie.value = "treatment";
    CanaryStep.RouteMatch header = new CanaryStep.RouteMatch();
    header.header = new CanaryStep.NameValue();
    header.header.name = "x-variant";
    header.header.value = "b";
    pins = List.of(cookie, header);
    start(ABTestSpec.OnWin.Promote, ABTestSpec.OnNoWin.KeepControl);
    List<RouteMatchSpec> expected =
        List.of(
            new RouteMatchSpec("ab-variant", "treatment", true),
            new RouteMatchSpec("x-variant", "b", false));
    RolloutDecision d = w.last;
    assertThat(d.split().matches()).isEqualTo(expected);
    assertThat(d.canaryWeight()).isEqualTo(50);
    assertThat(RolloutPlan.of(w.policy).stages())
        .extracting(Stage::describe)
        .containsExactly(
            "setWeight 50",
            "setHeaderRoute cookie ab-variant=treatment or header x-variant=b",
            "A/B test conversion at 50%",
            "promote");

    // the route the Gateway API router writes for this split: the weighted rule, and a rule of
    // its own that sends the pinned users to the treatment whatever the weight
    ModelDeployment md = Fixtures.model("ns", "m", "2.0.0", 4);
    md.getMetadata().setUid("u");
    md.getSpec().traffic = new TrafficSpec();
    md.getSpec().traffic.provider = TrafficProvider.GatewayAPI;
    md.getSpec().traffic.gatewayAPI = new TrafficSpec.GatewayApi();
    TrafficSpec.ParentRef parent = new TrafficSpec.ParentRef();
    parent.name = "gw";
    md.getSpec().traffic.gatewayAPI.parentRefs = List.of(parent);
    HTTPRoute route =
        HttpRoutes.desired(md, new RouteIntent("m-stable", "m-canary", 80, d.split(), 4, 2), null);
    HTTPRouteRule pinned =
        route.getSpec().getRules().stream()
            .filter(r -> "modelrollout-canary-match".equals(r.getName()))
            .findFirst()
            .orElseThrow();
    assertThat(pinned.getBackendRefs())
        .singleElement()
        .satisfies(
            b -> {
              assertThat(b.getName()).isEqualTo("m-canary");
            });
    assertThat(pinned.getMatches()).hasSize(2);
    HTTPHeaderMatch cookieMatch = pinned.getMatches().get(0).getHeaders().get(0);
    assertThat(cookieMatch.getName()).isEqualTo("Cookie");
    assertThat(cookieMatch.getType()).isEqualTo("RegularExpression");
    Pattern re = Pattern.compile(cookieMatch.getValue());
    assertThat(re.matcher("session=1; ab-variant=treatment").matches()).isTrue();
    assertThat(re.matcher("ab-variant=control").matches()).isFalse();
    HTTPHeaderMatch headerMatch = pinned.getMatches().get(1).getHeaders().get(0);
    assertThat(headerMatch.getName()).isEqualTo("x-variant");
    assertThat(headerMatch.getValue()).isEqualTo("b");

    // the pins hold through every look, and go with the test
    w.gateAnswers.put(KEY, rate(500, 50, 500, 52));
    w.advance(Duration.ofSeconds(1));
    d = w.step();
    assertThat(d.status().experiment.decision).isEqualTo(Decision.Running);
    assertThat(d.split().matches()).isEqualTo(expected);
    d = run(8, 5000, 800, 5000, 500);
    assertThat(d.status().experiment.decision).isEqualTo(Decision.ControlWins);
    assertThat(d.split().matches()).as("control kept: nobody is pinned any more").isEmpty();
    assertThat(d.split().stableOnly()).isTrue();
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
