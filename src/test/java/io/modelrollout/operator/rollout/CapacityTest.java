package io.modelrollout.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pod arithmetic of a rollout, as a table. */
class CapacityTest {

  @ParameterizedTest(name = "N={0}: {1}% needs {2} pods")
  @CsvSource({
    "4, 0, 0",
    "4, 1, 1",
    "4, 25, 1",
    "4, 26, 1",
    "4, 27, 2",
    "4, 50, 2",
    "4, 75, 3",
    "4, 99, 4",
    "4, 100, 4",
    "3, 67, 2",
    "3, 60, 2",
    "3, 33, 1",
    "10, 10, 1",
    "10, 15, 2",
    "1, 10, 1",
    "1, 100, 1",
    "0, 50, 0",
    "200, 100, 200",
  })
  void aSideNeedsItsShareRoundedUpWithOnePointOfSlack(int n, int share, int need) {
    assertThat(new Capacity(n, 1, 0, false).need(share)).isEqualTo(need);
  }

  @ParameterizedTest(name = "N={0} surge={1} unavailable={2} {3}%: canary {4}, stable {5}")
  @CsvSource({
    "4, 1, 0, 25, 1, 4",
    "4, 1, 0, 50, 2, 3",
    "4, 2, 0, 50, 2, 4",
    "4, 0, 1, 25, 1, 3",
    "4, 0, 1, 50, 2, 2",
    "4, 0, 1, 90, 3, 1",
    "4, 1, 0, 90, 4, 1",
    "10, 0, 1, 10, 1, 9",
    "10, 1, 0, 15, 2, 9",
    "3, 1, 0, 60, 2, 2",
    "2, 0, 1, 10, 1, 1",
    "1, 1, 0, 10, 1, 1",
    "1, 1, 0, 100, 1, 1",
    "4, 1, 0, 0, 1, 4",
  })
  void stageTargetsStayWithinTheSurgeAndKeepEachSideItsPods(
      int n, int surge, int unavailable, int weight, int canary, int stable) {
    Capacity c = new Capacity(n, surge, unavailable, false);
    assertThat(c.canaryTarget(weight)).isEqualTo(canary);
    assertThat(c.stableTarget(weight)).isEqualTo(stable);
    assertThat(canary + stable).isLessThanOrEqualTo(n + surge);
  }

  @ParameterizedTest(name = "N={0} surge={1} unavailable={2} {3}%: feasible {4}")
  @CsvSource({
    "1, 0, 1, 10, false",
    "1, 0, 1, 50, false",
    "1, 0, 1, 100, true",
    "1, 1, 0, 10, true",
    "2, 0, 1, 10, true",
    "2, 0, 1, 90, true",
    "4, 0, 1, 25, true",
    "0, 0, 1, 50, true",
  })
  void aWeightThatNoPodCountCarriesIsInfeasible(
      int n, int surge, int unavailable, int weight, boolean feasible) {
    assertThat(new Capacity(n, surge, unavailable, false).feasible(weight)).isEqualTo(feasible);
  }

  @Test
  void stableShrinksOnlyByReadyCanaryPods() {
    Capacity c = new Capacity(4, 1, 0, false);
    // setWeight 50 asked, 25 in force, the second canary pod not ready yet
    assertThat(c.pods(2, 3, 25, 4, 1, 1, 0)).isEqualTo(new Capacity.Pods(3, 2));
    // promote asked (canary goal 4) with 50 in force: stable keeps what 50% needs
    assertThat(c.pods(4, 1, 50, 3, 2, 2, 0)).isEqualTo(new Capacity.Pods(2, 3));
    // maxSurge 0: stable gives one pod (maxUnavailable 1) before the canary can have it
    Capacity gpu = new Capacity(4, 0, 1, false);
    assertThat(gpu.pods(1, 3, 0, 4, 0, 0, 0)).isEqualTo(new Capacity.Pods(3, 1));
    // a step down (75 -> 25): stable grows first, the canary keeps its ready pods meanwhile
    assertThat(c.pods(1, 4, 75, 2, 3, 3, 0)).isEqualTo(new Capacity.Pods(2, 3));
    assertThat(c.pods(1, 4, 49, 3, 3, 3, 0)).isEqualTo(new Capacity.Pods(3, 2));
    // pods of a revision on its way out use the surge: the canary waits for them
    assertThat(c.pods(1, 4, 0, 4, 0, 0, 1)).isEqualTo(new Capacity.Pods(4, 0));
  }

  @Test
  void theWeightInForceIsWhatTheReadyPodsCarry() {
    Capacity c = new Capacity(4, 1, 0, false);
    assertThat(c.inForce(50, 25, 3, 2)).isEqualTo(50);
    assertThat(c.inForce(50, 25, 3, 1)).as("one canary pod of four carries 25%").isEqualTo(25);
    assertThat(c.inForce(50, 25, 3, 0)).isZero();
    assertThat(c.inForce(25, 75, 2, 3)).as("stable with 2 pods of four carries 50%").isEqualTo(50);
    assertThat(new Capacity(3, 1, 0, false).inForce(60, 20, 3, 1)).isEqualTo(33);
    assertThat(c.inForce(50, 50, 0, 2)).as("no stable pod: all on the canary").isEqualTo(100);
    assertThat(c.inForce(50, 50, 1, 1)).as("both sides short: follow the pods").isEqualTo(50);
    Capacity atomic = new Capacity(3, 0, 0, true);
    assertThat(atomic.inForce(100, 0, 3, 2)).isZero();
    assertThat(atomic.inForce(100, 0, 3, 3)).isEqualTo(100);
    assertThat(atomic.inForce(100, 100, 3, 2)).as("switched stays switched").isEqualTo(100);
  }
}
