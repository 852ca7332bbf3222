package io.modelrollout.operator.rollout;

import static io.modelrollout.operator.testing.StrategyFixtures.bell;
import static io.modelrollout.operator.testing.StrategyFixtures.histogram;
import static io.modelrollout.operator.testing.StrategyFixtures.rate;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelrollout.operator.api.ABTestSpec;
import io.modelrollout.operator.api.BlueGreenSpec;
import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.Condition;
import io.modelrollout.operator.api.HistoryEntry.Outcome;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.RolloutPolicySpec;
import io.modelrollout.operator.api.RolloutStrategy;
import io.modelrollout.operator.api.ShadowSpec.FollowUp;
import io.modelrollout.operator.api.TrafficProvider;
import io.modelrollout.operator.api.TrafficSpec;
import io.modelrollout.operator.status.Conditions;
import io.modelrollout.operator.testing.Fixtures;
import io.modelrollout.operator.testing.StrategyFixtures;
import io.modelrollout.operator.validation.SpecValidator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whole rollouts through a world whose pods are late, at every small replica count and surge, for
 * every strategy. The world checks the capacity rules after every reconcile (see {@link World});
 * these tests check that each rollout also ends, promoted, or is rejected up front.
 */
class CapacityWalkTest {
  static final String V2 = World.revisionOf("2.0.0");

  static Stream<Arguments> smallCounts() {
    List<Arguments> out = new ArrayList<>();
    for (String strategy : List.of("Canary", "BlueGreen", "None", "Shadow", "ABTest")) {
      for (int n : new int[] {0, 1, 2}) {
        // an A/B test has no maxSurge of its own: its treatment always surges by one pod
        for (int surge : strategy.equals("ABTest") ? new int[] {1} : new int[] {0, 1}) {
          out.add(Arguments.of(strategy, n, surge));
        }
      }
    }
    return out.stream();
  }

  static RolloutPolicySpec policy(String strategy, int surge) {
    return switch (strategy) {
      case "Canary" ->
          Fixtures.canarySpec(
              surge,
              CanaryStep.weight(10),
              CanaryStep.pause("5s"),
              CanaryStep.weight(50),
              CanaryStep.weight(90));
      case "BlueGreen" -> {
        RolloutPolicySpec p = new RolloutPolicySpec();
        p.strategy = RolloutStrategy.BlueGreen;
        p.blueGreen = new BlueGreenSpec();
        p.blueGreen.autoPromotionAfter = "5s";
        p.blueGreen.scaleDownDelay = "2s";
        yield p;
      }
      case "Shadow" -> { // the follow-up canary's maxSurge is the shadow's too
        RolloutPolicySpec p = StrategyFixtures.shadow(50, "5s", FollowUp.Canary, 0.1);
        p.shadow.then.canary.maxSurge = surge;
        yield p;
      }
      case "ABTest" -> {
        RolloutPolicySpec p = StrategyFixtures.abTest("5s", "20s", 1000);
        p.abTest.onWin = ABTestSpec.OnWin.Promote;
        yield p;
      }
      default -> null;
    };
  }

  /** What the analysis of a strategy reads: a shadow like stable, a treatment that wins. */
  static void answerGates(World w, String strategy) {
    if (strategy.equals("Shadow")) {
      w.gateAnswers.put("prediction-drift", histogram(bell(1000, 4.5), bell(500, 4.5)));
    } else if (strategy.equals("ABTest")) {
      w.gateAnswers.put("ab/conversion", rate(2000, 200, 2000, 320));
    }
  }

  @ParameterizedTest(name = "{0}, replicas {1}, maxSurge {2}")
  @MethodSource("smallCounts")
  void aRolloutAtASmallReplicaCountEndsPromotedOrIsRejected(String strategy, int n, int surge) {
    RolloutPolicySpec policy = policy(strategy, surge);
    List<String> problems = validate(policy, n);
    if (strategy.equals("Canary") && n == 1 && surge == 0) {
      assertThat(problems)
          .singleElement()
          .asString()
          .contains("replicas 1 with canary.maxSurge 0")
          .contains("'setWeight 10'")
          .contains("each need a ready pod");
      return;
    }
    if (strategy.equals("Shadow") && surge == 0) {
      assertThat(problems)
          .as("the shadow's pod runs beside all of stable's")
          .anySatisfy(
              p ->
                  assertThat(p)
                      .contains("shadow.replicas 1 exceeds the follow-up canary's maxSurge 0"));
      return;
    }
    assertThat(problems).isEmpty();
    World w = healthyAt1(policy, n);
    w.checkSurge = !strategy.equals("None") && !strategy.equals("BlueGreen");
    answerGates(w, strategy);
    w.version = "2.0.0";
    w.podsReadyAfter = Duration.ofSeconds(2);
    w.readyAfter.put(V2, Duration.ofSeconds(3)); // the new version's pods are later
    if (n == 0) {
      RolloutDecision d = w.step();
      assertThat(d.status().canary).as("nothing to check a version on at 0 pods").isNull();
      assertThat(d.status().phase).isEqualTo(Phase.Paused);
      assertThat(Conditions.find(d.status().conditions, Condition.PAUSED).reason)
          .isEqualTo("ScaledToZero");
      assertThat(d.replicas()).doesNotContainKey(V2);
      w.replicas = 2; // scaled up: the rollout runs
    }
    walkToPromotion(w);
  }

  @ParameterizedTest(name = "replicas {0}")
  @ValueSource(ints = {1, 2, 4})
  void anABTestTakesItsTreatmentPodsFromASurgeOfOne(int n) {
    RolloutPolicySpec policy = policy("ABTest", 1);
    assertThat(RolloutPlan.of(policy).surge()).as("hard-coded: abTest has no maxSurge").isOne();
    World w = healthyAt1(policy, n);
    w.version = "2.0.0";
    RolloutDecision d = w.step();
    assertThat(d.replicas())
        .as("stable stays at full size beside the treatment's first pod")
        .isEqualTo(java.util.Map.of(World.revisionOf("1.0.0"), n, V2, 1));
  }

  static Stream<Arguments> everySurge() {
    List<Arguments> out = new ArrayList<>();
    for (int n = 1; n <= 7; n++) {
      for (int surge = 0; surge <= 2; surge++) {
        for (int unavailable = 0; unavailable <= 2; unavailable++) {
          if (surge + unavailable > 0) {
            out.add(Arguments.of(n, surge, unavailable));
          }
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "replicas {0}, maxSurge {1}, maxUnavailable {2}")
  @MethodSource("everySurge")
  void everyFeasibleCanaryEndsPromotedWithPodsReadyOneByOne(int n, int surge, int unavailable) {
    for (List<Integer> weights :
        List.of(List.of(10, 30, 60, 90), List.of(50), List.of(1, 99), List.of(75, 25, 67))) {
      CanaryStep[] steps = weights.stream().map(CanaryStep::weight).toArray(CanaryStep[]::new);
      RolloutPolicySpec policy = Fixtures.canarySpec(surge, unavailable, steps);
      if (!validate(policy, n).isEmpty()) {
        assertThat(n == 1 && surge == 0).as("only one pod without surge is rejected").isTrue();
        continue;
      }
      World w = healthyAt1(policy, n);
      w.checkSurge = true;
      w.version = "2.0.0";
      Random random = new Random(n * 100 + surge * 10 + unavailable);
      for (int i = 0; i < 400 && !promoted(w); i++) {
        w.step();
        String rev = random.nextBoolean() ? V2 : World.revisionOf("1.0.0");
        w.podsReady(rev, 1);
      }
      assertThat(promoted(w)).as("%s promoted: %s", weights, w.statusJson).isTrue();
    }
  }

  @Test
  void scaledToZeroMidRolloutHoldsTheStepAndStartsItAgainWhenScaledUp() {
    World w = healthyAt1(policy("Canary", 1), 2);
    w.podsReadyAfter = Duration.ofSeconds(2);
    w.version = "2.0.0";
    w.settle();
    assertThat(w.status().currentStep).isEqualTo("pause 5s");
    w.replicas = 0;
    RolloutDecision d = w.step();
    assertThat(d.replicas()).containsValues(0, 0);
    assertThat(d.status().phase).isEqualTo(Phase.Paused);
    w.advance(Duration.ofMinutes(5));
    assertThat(w.step().status().currentStep).as("no pod, no progress").isEqualTo("pause 5s");
    w.replicas = 2;
    d = w.step();
    assertThat(d.status().currentStep).isEqualTo("pause 5s");
    assertThat(d.status().stepStartedAt).isEqualTo(w.clock.instant().toString());
    walkToPromotion(w);
  }

  @Test
  void withReplicaRatioTheSplitWaitsUntilNoThirdRevisionHasPods() {
    World w = healthyAt1(policy("Canary", 1), 4);
    w.splitByPods = true;
    w.version = "2.0.0";
    w.podsReadyAfter = Duration.ZERO;
    walkUntilPromoted(w);
    assertThat(w.status().scaleDown).as("1.0.0 keeps its pods for 2s").isNotEmpty();
    w.version = "3.0.0";
    String v3 = World.revisionOf("3.0.0");
    w.step();
    w.podsReady();
    RolloutDecision d = w.step();
    assertThat(d.canaryWeight()).as("the entry Service would select 1.0.0's pods too").isZero();
    assertThat(d.replicas().get(v3)).as("1.0.0's leaving pods use the surge").isZero();
    w.advance(Duration.ofSeconds(2));
    d = w.step(); // 1.0.0 scaled down
    assertThat(d.replicas()).doesNotContainKey(World.revisionOf("1.0.0"));
    d = w.settle();
    assertThat(d.status().currentStep).isEqualTo("pause 5s");
    assertThat(d.canaryWeight()).isEqualTo(10);
  }

  private static boolean promoted(World w) {
    var st = w.status();
    return st != null
        && st.canary == null
        && st.stable.version.equals("2.0.0")
        && st.history.get(0).outcome == Outcome.Promoted;
  }

  private static void walkUntilPromoted(World w) {
    for (int i = 0; i < 100 && !promoted(w); i++) {
      w.step();
      w.advance(Duration.ofSeconds(1));
    }
    assertThat(promoted(w)).as("promoted: %s", w.statusJson).isTrue();
  }

  private static void walkToPromotion(World w) {
    walkUntilPromoted(w);
    RolloutDecision d = null;
    for (int i = 0; i < 10 && (d == null || d.status().phase != Phase.Healthy); i++) {
      w.podsReady(); // the promoted revision grows to full size, then the old one goes
      w.advance(Duration.ofMinutes(1));
      d = w.step();
    }
    assertThat(d.status().phase).isEqualTo(Phase.Healthy);
    assertThat(d.replicas()).containsOnlyKeys(V2);
  }

  private static World healthyAt1(RolloutPolicySpec policy, int n) {
    World w = new World(policy);
    w.replicas = n;
    w.settle();
    assertThat(w.status().phase).isEqualTo(Phase.Healthy);
    return w;
  }

  private static List<String> validate(RolloutPolicySpec policy, int n) {
    var spec = Fixtures.model("ml", "m", "1.0.0", n).getSpec();
    if (policy != null && policy.strategy == RolloutStrategy.Shadow) {
      spec.traffic = new TrafficSpec(); // mirroring needs a route
      spec.traffic.provider = TrafficProvider.Istio;
    }
    return SpecValidator.validate(
        spec,
        new SpecValidator.World(
            "ml",
            policy,
            null,
            Set.of(TrafficProvider.ReplicaRatio, TrafficProvider.Istio),
            "http://p:9090",
            null));
  }
}
