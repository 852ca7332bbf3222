package io.modelrollout.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelrollout.operator.api.Condition;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.api.ModelDeploymentStatus.ActionRecord;
import io.modelrollout.operator.cli.ActionAck.State;
import io.modelrollout.operator.testing.Fixtures;
import java.util.HashMap;
import org.junit.jupiter.api.Test;

/** When an action set through the annotation counts as acknowledged by the operator. */
class ActionAckTest {
  static ModelDeployment md(ActionRecord last, String annotation) {
    ModelDeployment m = Fixtures.model("models", "fraud", "2.0.0", 3);
    m.getMetadata().setGeneration(3L);
    m.getMetadata().setAnnotations(new HashMap<>());
    if (annotation != null) {
      m.getMetadata().getAnnotations().put(ActionAck.ANNOTATION, annotation);
    }
    ModelDeploymentStatus st = new ModelDeploymentStatus();
    st.observedGeneration = 3L;
    st.lastAction = last;
    m.setStatus(st);
    return m;
  }

  static ActionRecord record(
      String action, String at, String rv, Boolean rejected, Boolean pending) {
    ActionRecord a = new ActionRecord();
    a.action = action;
    a.at = at;
    a.message = action + " did something";
    a.resourceVersion = rv;
    a.rejected = rejected;
    a.pending = pending;
    return a;
  }

  static final ModelDeployment BEFORE = md(record("promote", "t1", "10", null, null), null);

  @Test
  void waitsUntilTheActionIsRecordedAndItsAnnotationRemoved() {
    assertThat(
            ActionAck.evaluate("promote", BEFORE, md(BEFORE.getStatus().lastAction, "promote"))
                .state())
        .as("the earlier promote is not this one")
        .isEqualTo(State.WAITING);
    assertThat(
            ActionAck.evaluate(
                    "promote", BEFORE, md(record("promote", "t2", "12", null, true), "promote"))
                .state())
        .as("recorded, annotation still there")
        .isEqualTo(State.WAITING);
    ActionAck.Ack done =
        ActionAck.evaluate("promote", BEFORE, md(record("promote", "t2", "12", null, null), null));
    assertThat(done.state()).isEqualTo(State.APPLIED);
    assertThat(done.message()).isEqualTo("promote did something");
  }

  @Test
  void sameSecondButAnotherResourceVersionIsANewAction() {
    ModelDeployment now = md(record("promote", "t1", "11", null, null), null);
    assertThat(ActionAck.evaluate("promote", BEFORE, now).state()).isEqualTo(State.APPLIED);
  }

  @Test
  void anotherActionRecordedIsNotThisOne() {
    ModelDeployment now = md(record("pause", "t2", "12", null, null), null);
    assertThat(ActionAck.evaluate("promote", BEFORE, now).state()).isEqualTo(State.WAITING);
  }

  @Test
  void rejectedActionsSayWhy() {
    ModelDeployment now = md(record("abort", "t2", "12", true, null), null);
    now.getStatus().lastAction.message = "nothing to abort: no rollout in progress";
    ActionAck.Ack ack = ActionAck.evaluate("abort", BEFORE, now);
    assertThat(ack.state()).isEqualTo(State.REJECTED);
    assertThat(ack.message()).isEqualTo("nothing to abort: no rollout in progress");
  }

  @Test
  void anActionAlreadyAppliedAndPendingOnlyWaitsForTheRemoval() {
    ModelDeployment before = md(record("pause", "t1", "10", null, true), "pause");
    assertThat(ActionAck.alreadyHandled("pause", before)).isTrue();
    assertThat(ActionAck.evaluate("pause", before, before).state()).isEqualTo(State.WAITING);
    ModelDeployment removed = md(record("pause", "t1", "10", null, null), null);
    assertThat(ActionAck.evaluate("pause", before, removed).state()).isEqualTo(State.APPLIED);
  }

  @Test
  void anInvalidSpecIsReportedBecauseTheOperatorIgnoresActionsThen() {
    ModelDeployment now = md(BEFORE.getStatus().lastAction, "promote");
    now.getStatus()
        .conditions
        .add(new Condition(Condition.INVALID_SPEC, true, "InvalidSpec", "no RolloutPolicy x"));
    ActionAck.Ack ack = ActionAck.evaluate("promote", BEFORE, now);
    assertThat(ack.state()).isEqualTo(State.INVALID_SPEC);
    assertThat(ack.message()).contains("no RolloutPolicy x");
    now.getMetadata().setGeneration(4L); // not yet seen by the operator: it may still act
    assertThat(ActionAck.evaluate("promote", BEFORE, now).state()).isEqualTo(State.WAITING);
  }

  @Test
  void deleted() {
    assertThat(ActionAck.evaluate("promote", BEFORE, null).state()).isEqualTo(State.DELETED);
  }
}
