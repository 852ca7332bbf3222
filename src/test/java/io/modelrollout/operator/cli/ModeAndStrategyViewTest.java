package io.modelrollout.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelrollout.operator.cli.Cases.Case;
import io.modelrollout.operator.cli.RolloutView.Step;
import io.modelrollout.operator.cli.WaitCondition.Target;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The steps the view shows are the ones the operator walks (a Batch or Edge rollout runs the mode's
 * plan, not the canary's), and what {@code wait} prints when a version did not get through.
 */
class ModeAndStrategyViewTest {
  static List<String> cases() throws IOException {
    return Cases.names();
  }

  @ParameterizedTest
  @MethodSource("cases")
  void theCurrentStepIsTheOneInStatus(String name) throws IOException {
    Case c = Cases.load(name);
    RolloutView v = c.view();
    var st = c.md().getStatus();
    if (st == null || st.canary == null || st.currentStepIndex == null || v.steps().isEmpty()) {
      return;
    }
    Step current = v.steps().stream().filter(s -> "current".equals(s.state())).findFirst().get();
    assertThat(current.index()).isEqualTo(st.currentStepIndex);
    assertThat(current.text())
        .as("the operator's step in words (status.currentStep): no false 'policy changed'")
        .isEqualTo(st.currentStep);
    assertThat(ListCommand.steps(c.md(), java.util.Map.of()))
        .as("list's step total")
        .isIn(null, v.steps().size());
  }

  @Test
  void batchRunsTheValidationJobFirstAndSwitchesTheCronJobLast() throws IOException {
    RolloutView v = Cases.load("batch-validating").view();
    assertThat(v.steps())
        .extracting(Step::text)
        .containsExactly(
            "validation Job",
            "pause 2m",
            "analysis error-rate, p99-latency",
            "pause until promoted",
            "switch the CronJob");
    assertThat(v.weights()).isNull();
    assertThat(v.traffic()).as("no traffic split in Batch").isNull();
  }

  @Test
  void edgeMovesByNodes() throws IOException {
    RolloutView v = Cases.load("edge-progressing").view();
    assertThat(v.steps())
        .extracting(Step::text)
        .containsExactly(
            "setNodePercent 10",
            "analysis device-errors",
            "setNodePercent 50",
            "pause until promoted",
            "promote (all nodes)");
  }

  @Test
  void timeLeftOfAShadowAnalysisAndOfAnABTest() throws IOException {
    Step shadow = current(Cases.load("shadow-analysis").view());
    assertThat(shadow.remainingSeconds()).isEqualTo(18 * 60L); // 30m from 09:48, at 10:00
    assertThat(shadow.remainingBound()).isEqualTo("atLeast");
    Step ab = current(Cases.load("abtest-running").view());
    assertThat(ab.remainingSeconds()).isEqualTo((168 - 16) * 3600L);
    assertThat(ab.remainingBound()).isEqualTo("atMost");
    Step decided = current(Cases.load("abtest-decided").view());
    assertThat(decided.remainingSeconds()).as("the test has decided").isNull();
    assertThat(decided.waitingFor()).isEqualTo("promote or abort");
  }

  @Test
  void waitPrintsTheABTestAsTheEvidenceOfItsRollback() throws IOException {
    Case c = Cases.load("abtest-rolledback");
    Target target = Target.of(c.md()); // the revision of the spec: xjxh8ks6jg
    WaitCondition.Verdict verdict = WaitCondition.parse("promoted").evaluate(target, c.md());
    assertThat(verdict.result()).isEqualTo(WaitCondition.Result.ROLLED_BACK);
    String text =
        WaitCommand.text(
            "ranker",
            verdict.reason(),
            verdict.result().exitCode,
            c.view(),
            target,
            Style.PLAIN,
            Cases.NOW);
    Golden.assertMatches("wait/abtest-rolledback.txt", text);
    assertThat(text)
        .contains("A/B test (the evidence):")
        .containsPattern("conversion +higher +0\\.0823 \\(30110\\) +0\\.0761 \\(29940\\)")
        .contains("Decision      ControlWins");
    assertThat(WaitCommand.experimentOf(c.view(), new Target(10, "other", "8.3.0")))
        .as("another version's test is no evidence")
        .isNull();
  }

  @Test
  void waitPrintsTheValidationJobAsTheEvidenceOfABatchRollback() throws IOException {
    Case c = Cases.load("batch-rolledback");
    Target target = Target.of(c.md()); // vlfsw8bcz4
    WaitCondition.Verdict verdict = WaitCondition.parse("promoted").evaluate(target, c.md());
    assertThat(verdict.result()).isEqualTo(WaitCondition.Result.ROLLED_BACK);
    String text =
        WaitCommand.text(
            "nightly-churn-scores",
            verdict.reason(),
            verdict.result().exitCode,
            c.view(),
            target,
            Style.PLAIN,
            Cases.NOW);
    Golden.assertMatches("wait/batch-rolledback.txt", text);
    assertThat(text).contains("Batch (the evidence):").contains("Failed after 11m");
  }

  @Test
  void aShadowsFollowUpPolicyCountsInTheStepsOfList() throws IOException {
    Case c = Cases.load("shadow-analysis");
    var shadow =
        io.modelrollout.operator.support.Json.copy(
            c.policy().spec(), io.modelrollout.operator.api.RolloutPolicySpec.class);
    shadow.shadow.then.canary = null;
    shadow.shadow.then.policyRef = new io.modelrollout.operator.api.RolloutSpec.PolicyRef();
    shadow.shadow.then.policyRef.name = "safe-canary";
    c.md().getSpec().rollout.policyRef.name = "shadow-ref";
    var canary = Cases.load("canary-progressing").policy().spec();
    assertThat(ListCommand.steps(c.md(), java.util.Map.of("models/shadow-ref", shadow)))
        .as("the follow-up policy is not there: unknown")
        .isNull();
    // shadow, shadow analysis, setMirror 0, safe-canary's 5 steps, promote
    assertThat(
            ListCommand.steps(
                c.md(),
                java.util.Map.of("models/shadow-ref", shadow, "models/safe-canary", canary)))
        .isEqualTo(9);
  }

  private static Step current(RolloutView v) {
    return v.steps().stream().filter(s -> "current".equals(s.state())).findFirst().orElseThrow();
  }
}
