package io.modelrollout.operator.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.modelrollout.operator.api.BatchSpec;
import io.modelrollout.operator.api.BlueGreenSpec;
import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.DeploymentMode;
import io.modelrollout.operator.api.EdgeSpec;
import io.modelrollout.operator.api.ModelDeploymentSpec;
import io.modelrollout.operator.api.RolloutPolicySpec;
import io.modelrollout.operator.api.RolloutStrategy;
import io.modelrollout.operator.api.ShadowSpec;
import io.modelrollout.operator.testing.Fixtures;
import io.modelrollout.operator.testing.StrategyFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The Batch and Edge checks the CRD schema cannot make, one InvalidSpec message per case. */
class ModeValidatorTest {
  static final String PROM = "http://prometheus:9090";

  /** A spec, its policy and whether the operator may label nodes: valid until a case edits it. */
  static final class Case {
    final ModelDeploymentSpec spec = Fixtures.model("ml", "m", "1.0.0", 1).getSpec();
    RolloutPolicySpec policy;
    boolean edgeEnabled = true;

    List<String> validate() {
      return ModeValidator.validate(
          spec, new ModeValidator.World("ml", policy, null, PROM, edgeEnabled));
    }
  }

  static Case batch() {
    Case c = new Case();
    c.spec.mode = DeploymentMode.Batch;
    c.spec.batch = new BatchSpec();
    c.spec.batch.schedule = "0 2 * * *";
    c.spec.batch.input = "s3://in";
    c.spec.batch.output = "s3://out";
    c.policy = Fixtures.canarySpec(1, CanaryStep.pause(null));
    return c;
  }

  static Case edge() {
    Case c = new Case();
    c.spec.mode = DeploymentMode.Edge;
    c.spec.edge = new EdgeSpec();
    c.spec.edge.nodeSelector = Map.of("fleet", "kiosks");
    c.policy = Fixtures.canarySpec(1, CanaryStep.nodes(10), CanaryStep.pause(null));
    return c;
  }

  @Test
  void theBaseCasesAreValid() {
    assertThat(batch().validate()).isEmpty();
    assertThat(edge().validate()).isEmpty();
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        batch(
            "four cron fields",
            c -> c.spec.batch.schedule = "0 2 * *",
            "batch.schedule '0 2 * *' is not a cron schedule: five fields (minute hour"
                + " day-of-month month day-of-week) or one of @yearly, @annually, @monthly,"
                + " @weekly, @daily, @midnight, @hourly"),
        batch(
            "an unknown macro",
            c -> c.spec.batch.schedule = "@fortnightly",
            "batch.schedule '@fortnightly' is not a cron schedule: five fields (minute hour"
                + " day-of-month month day-of-week) or one of @yearly, @annually, @monthly,"
                + " @weekly, @daily, @midnight, @hourly"),
        batch(
            "minute out of range",
            c -> c.spec.batch.schedule = "61 2 * * *",
            "batch.schedule '61 2 * * *' is not a cron schedule: minute 61 is outside 0-59"),
        batch(
            "day of week 7",
            c -> c.spec.batch.schedule = "0 2 * * 1-7",
            "batch.schedule '0 2 * * 1-7' is not a cron schedule: day-of-week 7 is outside 0-6"),
        batch(
            "Quartz's L",
            c -> c.spec.batch.schedule = "0 2 L * *",
            "batch.schedule '0 2 L * *' is not a cron schedule: day-of-month 'L' is not *, a"
                + " number, a range a-b or a list of them, with an optional /step"),
        batch(
            "a zero step",
            c -> c.spec.batch.schedule = "*/0 * * * *",
            "batch.schedule '*/0 * * * *' is not a cron schedule: minute '*/0': the step must be"
                + " at least 1"),
        batch(
            "a backwards range",
            c -> c.spec.batch.schedule = "0 20-8 * * *",
            "batch.schedule '0 20-8 * * *' is not a cron schedule: hour range 20-8 runs backwards"),
        batch(
            "an unknown time zone",
            c -> c.spec.batch.timeZone = "Mars/Olympus_Mons",
            "batch.timeZone 'Mars/Olympus_Mons' is not an IANA time zone"),
        batch(
            "an offset, not a zone",
            c -> c.spec.batch.timeZone = "+02:00",
            "batch.timeZone '+02:00' is not an IANA time zone"),
        batch(
            "strategy Shadow",
            c -> c.policy = StrategyFixtures.shadow(10, "1m", ShadowSpec.FollowUp.Canary, 0.1),
            "strategy Shadow is not supported in mode Batch; use Canary or BlueGreen"),
        batch(
            "strategy ABTest",
            c -> c.policy = StrategyFixtures.abTest("1m", "10m", 100),
            "strategy ABTest is not supported in mode Batch; use Canary or BlueGreen"),
        batch(
            "post-promotion gates",
            c -> c.policy = blueGreenWithPostPromotionGate(),
            "blueGreen.postPromotionGates have no meaning in mode Batch: a version's gates run on"
                + " its validation Job, before it takes over the schedule (use"
                + " prePromotionGates)"),
        edge(
            "edge.enabled off",
            c -> c.edgeEnabled = false,
            "mode Edge needs the operator's node permissions, which this installation does not"
                + " grant: install the chart with edge.enabled=true (MRO_EDGE_ENABLED=true)"),
        edge(
            "setWeight",
            c -> c.policy.canary.steps.add(CanaryStep.weight(50)),
            "mode Edge moves nodes, not traffic: use setNodePercent instead of setWeight,"
                + " setMirror or setHeaderRoute"),
        edge(
            "setMirror",
            c -> c.policy.canary.steps.add(mirror()),
            "mode Edge moves nodes, not traffic: use setNodePercent instead of setWeight,"
                + " setMirror or setHeaderRoute"),
        edge(
            "setHeaderRoute",
            c -> c.policy.canary.steps.add(headerRoute()),
            "mode Edge moves nodes, not traffic: use setNodePercent instead of setWeight,"
                + " setMirror or setHeaderRoute"),
        edge(
            "strategy BlueGreen",
            c -> c.policy = blueGreenWithPostPromotionGate(),
            "mode Edge rolls out node by node: use strategy Canary with setNodePercent steps,"
                + " not BlueGreen"),
        edge(
            "strategy Shadow",
            c -> c.policy = StrategyFixtures.shadow(10, "1m", ShadowSpec.FollowUp.Canary, 0.1),
            "mode Edge rolls out node by node: use strategy Canary with setNodePercent steps,"
                + " not Shadow"),
        edge(
            "a required node affinity",
            c ->
                c.spec
                    .template
                    .getSpec()
                    .setAffinity(
                        new AffinityBuilder()
                            .withNewNodeAffinity()
                            .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                            .addNewNodeSelectorTerm()
                            .addNewMatchExpression()
                            .withKey("gpu")
                            .withOperator("Exists")
                            .endMatchExpression()
                            .endNodeSelectorTerm()
                            .endRequiredDuringSchedulingIgnoredDuringExecution()
                            .endNodeAffinity()
                            .build()),
            "in mode Edge the operator steers pods to nodes by node affinity: select the fleet"
                + " with edge.nodeSelector instead of the template's"
                + " requiredDuringSchedulingIgnoredDuringExecution"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void eachRuleSaysWhatIsWrong(String name, Case c, String message) {
    assertThat(c.validate()).containsExactly(message);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "@daily",
        "*/15 * * * *",
        "0 2 * * MON-FRI",
        "0 0 1,15 jan,jul ?",
        "5/10 8-18/2 * * 0"
      })
  void schedulesTheApiServerTakesAreValid(String schedule) {
    Case c = batch();
    c.spec.batch.schedule = schedule;
    c.spec.batch.timeZone = "Europe/Berlin";
    assertThat(c.validate()).isEmpty();
  }

  @Test
  void setNodePercentInAnOnlinePolicyIsInvalid() {
    List<String> problems = new ArrayList<>();
    ModeValidator.online(Fixtures.canarySpec(1, CanaryStep.nodes(50)), problems::add);
    RolloutPolicySpec shadow = StrategyFixtures.shadow(10, "1m", ShadowSpec.FollowUp.Canary, 0.1);
    shadow.shadow.then.canary.steps.add(CanaryStep.nodes(50));
    ModeValidator.online(shadow, problems::add);
    assertThat(problems)
        .as("in a canary and in a shadow's follow-up canary")
        .containsExactly(
            "setNodePercent is for mode Edge; an online canary moves traffic with setWeight",
            "setNodePercent is for mode Edge; an online canary moves traffic with setWeight");
    problems.clear();
    ModeValidator.online(Fixtures.canarySpec(1, CanaryStep.weight(50)), problems::add);
    assertThat(problems).isEmpty();
  }

  @Test
  void aCanaryPolicyWithAnUnusedBlueGreenSectionIsNotABatchProblem() {
    Case c = batch();
    c.policy.blueGreen = blueGreenWithPostPromotionGate().blueGreen;
    assertThat(c.validate()).isEmpty();
  }

  private static Arguments batch(String name, Consumer<Case> edit, String message) {
    Case c = batch();
    edit.accept(c);
    return Arguments.of("Batch: " + name, c, message);
  }

  private static Arguments edge(String name, Consumer<Case> edit, String message) {
    Case c = edge();
    edit.accept(c);
    return Arguments.of("Edge: " + name, c, message);
  }

  private static RolloutPolicySpec blueGreenWithPostPromotionGate() {
    RolloutPolicySpec p = new RolloutPolicySpec();
    p.strategy = RolloutStrategy.BlueGreen;
    p.blueGreen = new BlueGreenSpec();
    p.blueGreen.postPromotionGates = List.of("errors");
    p.gates.add(Fixtures.gate("errors", "errors{version=\"{{version}}\"}", 0.01));
    return p;
  }

  private static CanaryStep mirror() {
    CanaryStep s = new CanaryStep();
    s.setMirror = new CanaryStep.Mirror();
    s.setMirror.percent = 10;
    return s;
  }

  private static CanaryStep headerRoute() {
    CanaryStep s = new CanaryStep();
    s.setHeaderRoute = new CanaryStep.HeaderRoute();
    s.setHeaderRoute.match = List.of();
    return s;
  }
}
