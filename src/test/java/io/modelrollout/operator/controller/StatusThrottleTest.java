package io.modelrollout.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelrollout.operator.api.GateStatus;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.Verdict;
import io.modelrollout.operator.status.StatusCopy;
import io.modelrollout.operator.testing.Fixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/** Gate measurements wait for one status write per interval; everything else is written now. */
class StatusThrottleTest {
  static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
  final StatusThrottle throttle = new StatusThrottle(Duration.ofSeconds(10), 0);

  @Test
  void eachModelDeploymentHasItsOwnPeriodWithinTheInterval() {
    StatusThrottle spread = new StatusThrottle(Duration.ofSeconds(10));
    java.util.Set<Duration> periods = new java.util.HashSet<>();
    for (int i = 0; i < 200; i++) {
      ModelDeployment md = analysing(3);
      md.getMetadata().setName("m-" + i);
      Duration p =
          spread.period(io.javaoperatorsdk.operator.processing.event.ResourceID.fromResource(md));
      assertThat(p).isBetween(Duration.ofMillis(7500), Duration.ofSeconds(10));
      periods.add(p);
      spread.written(md, T0);
      ModelDeploymentStatus next = measured(md.getStatus(), 4, Verdict.Pending);
      assertThat(spread.hold(md, md.getStatus(), next, false, T0.plusSeconds(1))).isTrue();
      assertThat(spread.flushIn(md, T0.plusSeconds(1))).isEqualTo(p.minusSeconds(1));
    }
    assertThat(periods)
        .as("200 ModelDeployments written together flush over 2.5 s, not at one instant")
        .hasSizeGreaterThan(150);
  }

  @Test
  void aNewCounterWaitsUntilTheIntervalSinceTheLastWriteHasPassed() {
    ModelDeployment md = analysing(3);
    ModelDeploymentStatus next = measured(md.getStatus(), 4, Verdict.Pending);
    assertThat(throttle.hold(md, md.getStatus(), next, false, T0))
        .as("nothing written yet by this process: write")
        .isFalse();
    throttle.written(md, T0);
    assertThat(throttle.hold(md, md.getStatus(), next, false, T0.plusSeconds(3))).isTrue();
    assertThat(throttle.flushIn(md, T0.plusSeconds(3))).isEqualTo(Duration.ofSeconds(7));
    assertThat(throttle.due(md, T0.plusSeconds(3))).isFalse();
    assertThat(throttle.due(md, T0.plusSeconds(10))).isTrue();
    assertThat(throttle.hold(md, md.getStatus(), next, false, T0.plusSeconds(10)))
        .as("the interval is over")
        .isFalse();
  }

  @Test
  void theNextReconcileStartsFromTheHeldCountersWhileTheCacheHasNotChanged() {
    ModelDeployment md = analysing(3);
    throttle.written(md, T0);
    ModelDeploymentStatus next = measured(md.getStatus(), 4, Verdict.Pending);
    assertThat(throttle.hold(md, md.getStatus(), next, false, T0.plusSeconds(1))).isTrue();
    ModelDeployment seen = throttle.overlay(md);
    assertThat(seen.getStatus().gates.get(0).successes).isEqualTo(4);
    assertThat(seen.getMetadata()).isSameAs(md.getMetadata());
    assertThat(md.getStatus().gates.get(0).successes).as("the cache is untouched").isEqualTo(3);

    ModelDeployment changed = analysing(3);
    changed.getStatus().message = "someone else's write";
    assertThat(throttle.overlay(changed).getStatus().gates.get(0).successes)
        .as("the status changed under the held one: start from what is written")
        .isEqualTo(3);
    assertThat(throttle.overlay(md)).as("and it is dropped").isSameAs(md);
    assertThat(throttle.flushIn(md, T0.plusSeconds(2))).isNull();
  }

  @Test
  void aWriteEndsWhatIsHeld() {
    ModelDeployment md = analysing(3);
    throttle.written(md, T0);
    throttle.hold(md, md.getStatus(), measured(md.getStatus(), 4, Verdict.Pending), false, T0);
    throttle.written(md, T0.plusSeconds(1));
    assertThat(throttle.overlay(md)).isSameAs(md);
    assertThat(throttle.flushIn(md, T0.plusSeconds(1))).isNull();
  }

  @Test
  void verdictsEventsStepsAndPhasesAreWrittenAtOnce() {
    ModelDeployment md = analysing(3);
    throttle.written(md, T0);
    ModelDeploymentStatus st = md.getStatus();
    Instant now = T0.plusSeconds(1);
    assertThat(throttle.hold(md, st, measured(st, 4, Verdict.Pass), false, now))
        .as("a verdict")
        .isFalse();
    assertThat(throttle.hold(md, st, measured(st, 4, Verdict.Pending), true, now))
        .as("an event")
        .isFalse();
    ModelDeploymentStatus step = measured(st, 4, Verdict.Pending);
    step.currentStepIndex = 2;
    assertThat(throttle.hold(md, st, step, false, now)).as("a step").isFalse();
    ModelDeploymentStatus phase = measured(st, 4, Verdict.Pending);
    phase.phase = Phase.Degraded;
    assertThat(throttle.hold(md, st, phase, false, now)).as("a phase").isFalse();
    ModelDeploymentStatus gate = measured(st, 4, Verdict.Pending);
    gate.gates.add(gate("latency", 0, Verdict.Pending));
    assertThat(throttle.hold(md, st, gate, false, now)).as("a new gate").isFalse();
    assertThat(throttle.overlay(md)).isSameAs(md);
  }

  @Test
  void zeroWritesEveryChange() {
    StatusThrottle off = new StatusThrottle(Duration.ZERO);
    ModelDeployment md = analysing(3);
    off.written(md, T0);
    assertThat(
            off.hold(md, md.getStatus(), measured(md.getStatus(), 4, Verdict.Pending), false, T0))
        .isFalse();
  }

  @Test
  void aDeletedModelDeploymentIsForgotten() {
    ModelDeployment md = analysing(3);
    throttle.written(md, T0);
    throttle.hold(md, md.getStatus(), measured(md.getStatus(), 4, Verdict.Pending), false, T0);
    throttle.forget(io.javaoperatorsdk.operator.processing.event.ResourceID.fromResource(md));
    assertThat(throttle.overlay(md)).isSameAs(md);
    assertThat(
            throttle.hold(
                md, md.getStatus(), measured(md.getStatus(), 5, Verdict.Pending), false, T0))
        .as("no write on record any more")
        .isFalse();
  }

  private static ModelDeployment analysing(int successes) {
    ModelDeployment md = Fixtures.model("ns", "fraud", "2.0.0", 2);
    ModelDeploymentStatus st = new ModelDeploymentStatus();
    st.phase = Phase.Progressing;
    st.currentStepIndex = 1;
    st.currentStep = "analysis errors";
    st.stepStartedAt = T0.toString();
    st.gates = new ArrayList<>();
    st.gates.add(gate("errors", successes, Verdict.Pending));
    md.setStatus(st);
    return md;
  }

  private static ModelDeploymentStatus measured(
      ModelDeploymentStatus st, int successes, Verdict verdict) {
    ModelDeploymentStatus next = StatusCopy.of(st);
    GateStatus g = next.gates.get(0);
    g.successes = successes;
    g.value = 0.001 * successes;
    g.measuredAt = T0.plusSeconds(successes).toString();
    g.verdict = verdict;
    return next;
  }

  private static GateStatus gate(String name, int successes, Verdict verdict) {
    GateStatus g = new GateStatus();
    g.name = name;
    g.verdict = verdict;
    g.successes = successes;
    g.value = 0.001;
    g.threshold = "< 0.01";
    g.measuredAt = T0.toString();
    return g;
  }

  @Test
  void aSettlingStepsObservationsWaitForTheNextReconcileOnce() {
    ModelDeployment md = analysing(3);
    ModelDeploymentStatus settled = StatusCopy.of(md.getStatus());
    settled.message = "canary at 50%";
    Instant due = T0.plusMillis(200);
    assertThat(throttle.holdSettling(md, settled, due)).isTrue();
    assertThat(throttle.overlay(md).getStatus().message).isEqualTo("canary at 50%");
    assertThat(throttle.flushIn(md, T0)).isEqualTo(Duration.ofMillis(200));
    assertThat(throttle.due(md, due)).as("the next reconcile writes it").isTrue();

    ModelDeploymentStatus again = StatusCopy.of(settled);
    again.message = "canary at 80%";
    assertThat(throttle.holdSettling(md, again, due))
        .as("a second settle in a row is written: never two behind the route")
        .isFalse();
    throttle.written(md, due);
    assertThat(throttle.overlay(md)).isSameAs(md);
    throttle.failed(md);
    assertThat(throttle.holdSettling(md, settled, due))
        .as("after a failed write each reconcile writes, and tells its failure")
        .isFalse();
    throttle.written(md, due);
    assertThat(throttle.holdSettling(md, settled, due)).isTrue();
    throttle.written(md, due);
    assertThat(new StatusThrottle(Duration.ZERO).holdSettling(md, settled, due))
        .as("interval zero writes every change")
        .isFalse();
  }

  @Test
  void aScaleDownThatIsDoneAloneIsNoChangeToWrite() {
    ModelDeploymentStatus before = analysing(3).getStatus();
    ModelDeploymentStatus.ScaleDown d = new ModelDeploymentStatus.ScaleDown();
    d.revision = "old";
    d.at = T0.toString();
    before.scaleDown = new ArrayList<>(java.util.List.of(d));
    ModelDeploymentStatus after = StatusCopy.of(before);
    after.scaleDown.clear();
    assertThat(StatusThrottle.onlyExpiredScaleDowns(before, after, T0)).isTrue();
    assertThat(StatusThrottle.onlyExpiredScaleDowns(before, after, T0.minusSeconds(1)))
        .as("not yet due: its removal is news")
        .isFalse();
    after.message = "something else too";
    assertThat(StatusThrottle.onlyExpiredScaleDowns(before, after, T0)).isFalse();
  }
}
