package io.modelrollout.operator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
  @ParameterizedTest
  @CsvSource({"30s, PT30S", "5m, PT5M", "1h30m, PT1H30M", "250ms, PT0.25S", "0s, PT0S", "2h, PT2H"})
  void parses(String text, Duration expected) {
    assertThat(Durations.parse(text)).isEqualTo(expected);
    assertThat(Durations.parse(Durations.format(expected))).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "5", "5 minutes", "-1s", "1d", "1.5h"})
  void rejects(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .hasMessageContaining("must be a duration such as 30s, 5m, 1h30m or 500ms");
  }
}
