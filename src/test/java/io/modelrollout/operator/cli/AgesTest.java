package io.modelrollout.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Durations as kubectl prints ages, and ANSI-aware widths. */
class AgesTest {
  @ParameterizedTest
  @CsvSource({
    "-5, 0s",
    "0, 0s",
    "119, 119s",
    "120, 2m",
    "192, 3m12s",
    "600, 10m",
    "10799, 179m",
    "10800, 3h",
    "11700, 3h15m",
    "28800, 8h",
    "172800, 2d",
    "180000, 2d2h",
    "864000, 10d"
  })
  void human(long seconds, String text) {
    assertThat(Ages.human(Duration.ofSeconds(seconds))).isEqualTo(text);
  }

  @ParameterizedTest
  @CsvSource({"abcdef, 4, abc…", "abc, 4, abc"})
  void truncate(String in, int max, String out) {
    assertThat(Style.truncate(in, max)).isEqualTo(out);
    String coloured = Style.TERMINAL.red(in);
    assertThat(Style.width(Style.truncate(coloured, max))).isEqualTo(out.length());
  }
}
