package io.modelrollout.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Waits end on time although status times are whole seconds. */
class RequeueTimingTest {
  static final Instant T = Instant.parse("2026-11-29T10:00:00Z");

  @Test
  void aDeadlineAheadIsWaitedForFromTheExactTime() {
    assertThat(RolloutEngine.until(T.plusMillis(900), T.plusSeconds(1)))
        .as("a wait that ends at the next whole second ends then, not 1 s later")
        .isEqualTo(Duration.ofMillis(100));
    assertThat(RolloutEngine.until(T.plusMillis(10), T.plusSeconds(30)))
        .isEqualTo(Duration.ofMillis(29_990));
    assertThat(RolloutEngine.until(T.plusMillis(990), T.plusSeconds(1)))
        .as("never a busy loop")
        .isEqualTo(RolloutEngine.MIN_WAIT);
  }

  @Test
  void aDeadlineThatHasPassedIsLookedAtAgainAfterTheMinimumRequeue() {
    assertThat(RolloutEngine.until(T.plusMillis(1500), T.plusSeconds(1)))
        .isEqualTo(RolloutEngine.MIN_REQUEUE);
    assertThat(RolloutEngine.until(T, T)).isEqualTo(RolloutEngine.MIN_REQUEUE);
  }
}
