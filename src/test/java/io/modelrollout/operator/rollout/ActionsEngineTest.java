package io.modelrollout.operator.rollout;

import static io.modelrollout.operator.rollout.World.revisionOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelrollout.operator.api.Condition;
import io.modelrollout.operator.api.HistoryEntry.Outcome;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.status.Conditions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Manual actions, spec.paused and invalid specs. */
class ActionsEngineTest {
  static final String V1 = revisionOf("1.0.0");
  static final String V2 = revisionOf("2.0.0");
  World w;

  @BeforeEach
  void rolloutAtThePauseStep() {
    w = new World(CanaryEngineTest.policy(1));
    w.step();
    w.podsReady();
    w.step();
    w.version = "2.0.0";
    w.step();
    w.podsReady();
    assertThat(w.step().status().currentStep).isEqualTo("pause 1m");
  }

  @Test
  void pauseHoldsTheStepAndResumeRestartsItsTimer() {
    w.action = "pause";
    RolloutDecision d = w.step();
    assertThat(d.actionConsumed()).isTrue();
    assertThat(d.status().userPaused).isTrue();
    assertThat(d.status().phase).isEqualTo(Phase.Paused);
    assertThat(Conditions.find(d.status().conditions, Condition.PAUSED).reason)
        .isEqualTo("UserPaused");
    assertThat(d.status().lastAction.message).isEqualTo("rollout paused at step 'pause 1m'");

    w.advance(Duration.ofMinutes(5));
    assertThat(w.step().status().currentStep).as("no progress while paused").isEqualTo("pause 1m");

    w.action = "resume";
    d = w.step();
    assertThat(d.status().userPaused).isNull();
    assertThat(d.status().currentStep)
        .as("the pause step starts over on resume")
        .isEqualTo("pause 1m");
    assertThat(d.requeueAfter()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void aPausedModelDeploymentDoesNotStartANewVersionUntilResumed() {
    w.action = "abort";
    w.step();
    w.action = "pause";
    RolloutDecision d = w.step();
    assertThat(d.status().lastAction.message).isEqualTo("paused: the next rollout will wait");
    w.version = "3.0.0";
    d = w.step();
    assertThat(d.status().canary).as("no canary while paused").isNull();
    assertThat(d.replicas()).containsOnlyKeys(V1);
    assertThat(d.canaryWeight()).isZero();
    assertThat(d.status().phase).isEqualTo(Phase.Paused);
    assertThat(d.status().message)
        .isEqualTo(
            "version 3.0.0 waits to roll out: paused by the pause action; annotate with modelrollout.io/action=resume");
    w.action = "resume";
    d = w.step();
    assertThat(d.status().canary.version)
        .as("resume starts it in the same reconcile")
        .isEqualTo("3.0.0");
  }

  @Test
  void specPausedAlsoHoldsANewVersion() {
    w.version = "1.0.0";
    w.step();
    w.specPaused = true;
    w.version = "4.0.0";
    RolloutDecision d = w.step();
    assertThat(d.status().canary).isNull();
    assertThat(d.status().message)
        .isEqualTo("version 4.0.0 waits to roll out: spec.paused is true");
    w.action = "resume";
    assertThat(w.step().status().lastAction.message)
        .isEqualTo("resumed, but spec.paused is still true");
    w.specPaused = false;
    assertThat(w.step().status().canary.version).isEqualTo("4.0.0");
  }

  @Test
  void specPausedHoldsTheRolloutWithoutAnAction() {
    w.specPaused = true;
    w.advance(Duration.ofMinutes(5));
    RolloutDecision d = w.step();
    assertThat(d.status().currentStep).isEqualTo("pause 1m");
    assertThat(d.status().phase).isEqualTo(Phase.Paused);
    assertThat(Conditions.find(d.status().conditions, Condition.PAUSED).reason)
        .isEqualTo("SpecPaused");
    w.specPaused = false;
    assertThat(w.step().status().currentStep).isEqualTo("analysis errors");
  }

  @Test
  void promoteFullSkipsTheRemainingSteps() {
    w.action = "promote-full";
    RolloutDecision d = w.step();
    assertThat(d.status().currentStep).isEqualTo("promote");
    assertThat(d.replicas())
        .as("stable waits for ready canary pods")
        .isEqualTo(Map.of(V1, 3, V2, 2));
    assertThat(w.settle().status().stable.revision).isEqualTo(V2);
  }

  @Test
  void abortSendsTrafficBackAndKeepsTheVersionFromRetrying() {
    w.action = "abort";
    RolloutDecision d = w.step();
    assertThat(d.canaryWeight()).isZero();
    assertThat(d.status().phase).isEqualTo(Phase.RolledBack);
    assertThat(d.status().history.get(0).outcome).isEqualTo(Outcome.Aborted);
    assertThat(Conditions.find(d.status().conditions, Condition.DEGRADED).reason)
        .isEqualTo("Aborted");
    assertThat(d.status().lastAction.message)
        .isEqualTo("rollout aborted; all traffic back on version 1.0.0");
    w.advance(Duration.ofMinutes(1));
    assertThat(w.step().status().canary).isNull();
  }

  @Test
  void anUnknownActionIsRecordedAndRemoved() {
    w.action = "yolo";
    RolloutDecision d = w.step();
    assertThat(d.actionConsumed()).isTrue();
    assertThat(d.status().lastAction.message)
        .isEqualTo(
            "unknown action 'yolo'; expected one of promote, promote-full, abort, retry, pause, resume");
    assertThat(d.status().currentStep).isEqualTo("pause 1m");
  }

  @Test
  void actionsWithoutARolloutSayThereIsNothingToDo() {
    w.version = "1.0.0";
    w.step();
    for (String a : List.of("promote", "promote-full", "abort", "retry")) {
      w.action = a;
      RolloutDecision d = w.step();
      assertThat(d.actionConsumed()).isTrue();
      assertThat(d.status().lastAction.message).startsWith("nothing to");
      assertThat(d.status().lastAction.rejected).isTrue();
      assertThat(io.modelrollout.operator.status.StatusEvents.between(null, d.status()))
          .anySatisfy(e -> assertThat(e.reason()).isEqualTo("ActionRejected"));
      assertThat(d.status().phase).isEqualTo(Phase.Healthy);
    }
  }

  @Test
  void anInvalidSpecChangesNothingThatRuns() {
    RolloutDecision before = w.step();
    w.problems = List.of("RolloutPolicy 'x' not found in namespace 'ns'");
    w.advance(Duration.ofMinutes(5));
    w.action = "abort";
    RolloutDecision d = w.step();
    assertThat(d.applyResources()).isFalse();
    assertThat(d.actionConsumed()).as("actions wait until the spec is valid").isFalse();
    assertThat(d.status().phase).isEqualTo(Phase.Degraded);
    assertThat(d.status().currentStep).isEqualTo(before.status().currentStep);
    assertThat(d.status().weights.canary).isEqualTo(25);
    Condition invalid = Conditions.find(d.status().conditions, Condition.INVALID_SPEC);
    assertThat(invalid.status).isEqualTo("True");
    assertThat(invalid.message).isEqualTo("RolloutPolicy 'x' not found in namespace 'ns'");
    assertThat(d.requeueAfter()).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void anActionIsAppliedOnceWhenTheOperatorDiesBeforeRemovingTheAnnotation() {
    w.action = "abort";
    w.crashBeforeAnnotationRemoval = true;
    RolloutDecision d = w.step();
    assertThat(d.status().phase).isEqualTo(Phase.RolledBack);
    assertThat(d.status().lastAction.pending).as("recorded before the annotation goes").isTrue();
    assertThat(d.status().lastAction.resourceVersion)
        .isEqualTo(String.valueOf(w.resourceVersion - 1));
    var applied = d.status();

    w.crashBeforeAnnotationRemoval = false; // the restarted operator finds the annotation again
    d = w.step();
    assertThat(d.actionConsumed()).as("the annotation is removed").isTrue();
    assertThat(d.status().history.stream().filter(h -> h.outcome == Outcome.Aborted))
        .as("aborted once")
        .hasSize(1);
    assertThat(d.status().lastAction.at).isEqualTo(applied.lastAction.at);
    assertThat(io.modelrollout.operator.status.StatusEvents.between(applied, d.status()))
        .as("no second ActionApplied or Aborted event")
        .isEmpty();
  }

  @Test
  void theSameActionAgainAfterItsAnnotationWasRemovedActsAgain() {
    w.advance(Duration.ofMinutes(1));
    w.gateValues.put("errors", 0.0);
    w.action = "promote";
    assertThat(w.step().status().currentStep).isEqualTo("analysis errors");
    assertThat(w.action).isNull();
    w.action = "promote";
    RolloutDecision d = w.step();
    assertThat(d.status().currentStep).isEqualTo("setWeight 50");
    assertThat(d.status().lastAction.message).isEqualTo("promoted past step 'analysis errors'");
  }

  @Test
  void aCrashAfterAnUnknownActionDoesNotWarnTwice() {
    w.action = "yolo";
    w.crashBeforeAnnotationRemoval = true;
    var first = w.step().status();
    w.crashBeforeAnnotationRemoval = false;
    var second = w.step().status();
    assertThat(io.modelrollout.operator.status.StatusEvents.between(first, second)).isEmpty();
  }
}
