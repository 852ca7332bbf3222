package io.modelrollout.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelrollout.operator.api.Condition;
import io.modelrollout.operator.api.HistoryEntry;
import io.modelrollout.operator.api.HistoryEntry.Outcome;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.RevisionStatus;
import io.modelrollout.operator.cli.WaitCondition.Result;
import io.modelrollout.operator.cli.WaitCondition.Target;
import io.modelrollout.operator.resources.RevisionHash;
import io.modelrollout.operator.testing.Fixtures;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The verdicts of {@code wait} on the states a ModelDeployment passes through after version 2.0.0
 * was applied at generation 5 over a stable 1.0.0: only a status of generation 5 or later counts.
 */
class WaitConditionTest {
  static final String V1_REVISION = RevisionHash.of(md("1.0.0", 4).getSpec());
  static final ModelDeployment APPLIED = md("2.0.0", 5);
  static final Target TARGET = Target.of(APPLIED);
  static final String R2 = TARGET.revision();

  static ModelDeployment md(String version, long generation) {
    ModelDeployment m = Fixtures.model("models", "fraud", version, 3);
    m.getMetadata().setGeneration(generation);
    return m;
  }

  /** The applied object with a status of {@code observed}, shaped by {@code f}. */
  static ModelDeployment state(long observed, Phase phase, Consumer<ModelDeploymentStatus> f) {
    ModelDeployment m = md("2.0.0", 5);
    ModelDeploymentStatus st = new ModelDeploymentStatus();
    st.observedGeneration = observed;
    st.phase = phase;
    st.message = "a message";
    st.stable = new RevisionStatus("1.0.0", V1_REVISION, 3, 3);
    f.accept(st);
    m.setStatus(st);
    return m;
  }

  static Result verdict(String condition, ModelDeployment m) {
    return WaitCondition.parse(condition).evaluate(TARGET, m).result();
  }

  static void canary(ModelDeploymentStatus st) {
    st.canary = new RevisionStatus("2.0.0", R2, 1, 1);
    st.currentStepIndex = 1;
    st.currentStep = "pause 1m";
  }

  static void promoted(ModelDeploymentStatus st) {
    st.stable = new RevisionStatus("2.0.0", R2, 3, 3);
    st.history.add(0, new HistoryEntry("2.0.0", R2, Outcome.Promoted, "completed 2 steps", "t"));
  }

  static void rolledBack(ModelDeploymentStatus st) {
    st.failedRevision = R2;
    st.history.add(
        0,
        new HistoryEntry(
            "2.0.0",
            R2,
            Outcome.RolledBack,
            "gate errors failed: value 0.2, threshold <= 0.01",
            "t"));
  }

  static void aborted(ModelDeploymentStatus st) {
    st.failedRevision = R2;
    st.history.add(
        0, new HistoryEntry("2.0.0", R2, Outcome.Aborted, "aborted by the abort action", "t"));
  }

  static void invalid(ModelDeploymentStatus st) {
    st.conditions.add(new Condition(Condition.INVALID_SPEC, true, "InvalidSpec", "no policy x"));
  }

  @Test
  void aStatusOfAnEarlierGenerationIsNeverTheAnswer() {
    // the status still describes generation 4: stable 1.0.0, Healthy; or 2.0.0 failed before
    ModelDeployment healthyBefore = state(4, Phase.Healthy, st -> {});
    ModelDeployment failedBefore = state(4, Phase.RolledBack, WaitConditionTest::rolledBack);
    ModelDeployment invalidBefore = state(4, Phase.Degraded, WaitConditionTest::invalid);
    for (String c : new String[] {"promoted", "healthy", "rolledback", "phase=Healthy"}) {
      assertThat(verdict(c, healthyBefore)).as(c).isEqualTo(Result.WAITING);
      assertThat(verdict(c, failedBefore)).as(c).isEqualTo(Result.WAITING);
      assertThat(verdict(c, invalidBefore)).as(c).isEqualTo(Result.WAITING);
    }
    assertThat(verdict("promoted", null)).isEqualTo(Result.DELETED);
    ModelDeployment noStatus = md("2.0.0", 5);
    assertThat(verdict("promoted", noStatus)).isEqualTo(Result.WAITING);
  }

  @ParameterizedTest(name = "{0} when {1}: {2}")
  @CsvSource({
    "promoted,   progressing,  WAITING",
    "promoted,   promoted,     PROMOTED",
    "promoted,   rolledBack,   ROLLED_BACK",
    "promoted,   aborted,      ABORTED",
    "promoted,   invalid,      INVALID_SPEC",
    "healthy,    progressing,  WAITING",
    "healthy,    promoted,     HEALTHY",
    "healthy,    rolledBack,   ROLLED_BACK",
    "healthy,    invalid,      INVALID_SPEC",
    "rolledback, progressing,  WAITING",
    "rolledback, rolledBack,   ROLLED_BACK",
    "rolledback, aborted,      ROLLED_BACK",
    "rolledback, promoted,     PROMOTED_INSTEAD",
    "rolledback, invalid,      INVALID_SPEC",
    "phase=Paused, paused,     PHASE",
    "phase=Paused, rolledBack, ROLLED_BACK",
    "phase=Degraded, invalid,  PHASE",
    "phase=RolledBack, rolledBack, PHASE",
  })
  void verdicts(String condition, String state, String expected) {
    ModelDeployment m =
        switch (state) {
          case "progressing" -> state(5, Phase.Progressing, WaitConditionTest::canary);
          case "paused" -> state(5, Phase.Paused, WaitConditionTest::canary);
          case "promoted" -> state(5, Phase.Healthy, WaitConditionTest::promoted);
          case "rolledBack" -> state(5, Phase.RolledBack, WaitConditionTest::rolledBack);
          case "aborted" -> state(5, Phase.RolledBack, WaitConditionTest::aborted);
          case "invalid" -> state(5, Phase.Degraded, WaitConditionTest::invalid);
          default -> throw new IllegalArgumentException(state);
        };
    WaitCondition c = WaitCondition.parse(condition);
    WaitCondition.Verdict v = c.evaluate(TARGET, m);
    String name = v.result() == Result.MET ? c.metName() : v.result().name();
    assertThat(name).isEqualTo(expected);
  }

  @Test
  void theReasonOfARollbackIsTheHistorysAndNamesTheVersion() {
    WaitCondition.Verdict v =
        WaitCondition.parse("promoted")
            .evaluate(TARGET, state(5, Phase.RolledBack, WaitConditionTest::rolledBack));
    assertThat(v.reason())
        .isEqualTo(
            "version 2.0.0 (revision "
                + R2
                + ") rolled back: gate errors failed: value 0.2, threshold <= 0.01");
    assertThat(v.result().exitCode).isEqualTo(1);
  }

  @Test
  void aLaterGenerationWithTheSameRevisionStillCounts() {
    // scaled by an HPA meanwhile: generation 6, same template and model, so same revision
    ModelDeployment m = state(6, Phase.Healthy, WaitConditionTest::promoted);
    m.getMetadata().setGeneration(6L);
    m.getSpec().replicas = 5;
    assertThat(verdict("promoted", m)).isEqualTo(Result.MET);
  }

  @Test
  void anotherVersionAppliedMeanwhileSupersedesTheWait() {
    ModelDeployment m = state(6, Phase.Progressing, WaitConditionTest::canary);
    m.getMetadata().setGeneration(6L);
    m.getSpec().model.version = "3.0.0";
    WaitCondition.Verdict v = WaitCondition.parse("promoted").evaluate(TARGET, m);
    assertThat(v.result()).isEqualTo(Result.SUPERSEDED);
    assertThat(v.reason()).contains("now asks for version 3.0.0").contains("instead of 2.0.0");
    // healthy is about the object, not the version: it keeps waiting
    assertThat(verdict("healthy", m)).isEqualTo(Result.WAITING);
  }

  @Test
  void promotedNeedsTheRevisionTheVersionNoCanaryAndHealthy() {
    ModelDeployment stillSettling = state(5, Phase.Progressing, WaitConditionTest::promoted);
    assertThat(verdict("promoted", stillSettling)).isEqualTo(Result.WAITING);
    ModelDeployment otherTemplate =
        state(5, Phase.Healthy, st -> st.stable = new RevisionStatus("2.0.0", "other", 3, 3));
    assertThat(verdict("promoted", otherTemplate)).isEqualTo(Result.WAITING);
  }

  @Test
  void parsesConditions() {
    assertThat(WaitCondition.parse("phase=paused").phase()).isEqualTo(Phase.Paused);
    assertThat(WaitCondition.parse("Promoted").toString()).isEqualTo("promoted");
    assertThat(WaitCondition.parse("phase=RolledBack").toString()).isEqualTo("phase=RolledBack");
    assertThatThrownBy(() -> WaitCondition.parse("phase=Done"))
        .hasMessageContaining("unknown phase 'Done'");
    assertThatThrownBy(() -> WaitCondition.parse("ready"))
        .hasMessageContaining("healthy, promoted, rolledback or phase=<Phase>");
  }
}
