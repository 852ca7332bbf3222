package io.modelrollout.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Whether stdout is a terminal: from JDK 22 {@code System.console()} is not null when the output is
 * redirected, so colour and redraw escapes would leak into pipes; {@code Console.isTerminal()}
 * decides where it exists.
 */
class TerminalTest {
  @Test
  void aConsoleIsATerminalOnlyWhenTheJdkDoesNotSayOtherwise() {
    assertThat(Terminal.decide(false, null, "xterm"))
        .as("no console (JDK < 22, redirected)")
        .isFalse();
    assertThat(Terminal.decide(true, null, "xterm")).as("a console, JDK < 22: a terminal").isTrue();
    assertThat(Terminal.decide(true, true, "xterm")).as("JDK 22+: a terminal").isTrue();
    assertThat(Terminal.decide(true, false, "xterm"))
        .as("JDK 22+ with stdout redirected: a console, but not a terminal")
        .isFalse();
    assertThat(Terminal.decide(true, true, "dumb")).as("TERM=dumb").isFalse();
    assertThat(Terminal.decide(true, null, null)).as("no TERM").isTrue();
  }

  @Test
  void theTestsStdoutIsAPipeNotATerminalOnEveryJdk() {
    // surefire's fork writes to a pipe: on JDK 22 to 24 System.console() is not null here, and
    // only Console.isTerminal() tells
    java.io.Console c = System.console();
    if (c != null) {
      Boolean t = Terminal.isTerminal(c);
      assertThat(t)
          .as("Console.isTerminal() on JDK %s", Runtime.version().feature())
          .isEqualTo(Runtime.version().feature() >= 22 ? Boolean.FALSE : null);
    }
    assertThat(Terminal.stdoutIsTerminal("xterm-256color")).isFalse();
    assertThat(CliEnv.system().terminal()).isFalse();
  }
}
