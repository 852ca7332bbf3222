package io.modelrollout.operator.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

/**
 * Where the CLI writes, what time it is, and whether stdout is a terminal: the real ones in {@link
 * #system()}, captured ones in tests.
 *
 * @param terminal stdout is a terminal (colour, redraw in place)
 * @param columns the terminal's width, or 0 when unknown
 */
public record CliEnv(
    PrintWriter out,
    PrintWriter err,
    Clock clock,
    boolean terminal,
    int columns,
    int rows,
    Map<String, String> env) {

  public static CliEnv system() {
    boolean tty = Terminal.stdoutIsTerminal(System.getenv("TERM"));
    int[] size = tty ? Terminal.size(System.getenv()) : new int[] {0, 0};
    return new CliEnv(
        new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
        new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true),
        Clock.systemUTC(),
        tty,
        size[0],
        size[1],
        System.getenv());
  }

  /** Whether to colour: {@code always}, {@code never}, or on a terminal unless NO_COLOR is set. */
  boolean colour(String mode) {
    return switch (mode) {
      case "always" -> true;
      case "never" -> false;
      default -> terminal && (env.get("NO_COLOR") == null || env.get("NO_COLOR").isEmpty());
    };
  }
}
