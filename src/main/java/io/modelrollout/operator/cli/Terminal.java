package io.modelrollout.operator.cli;

import java.io.File;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The size of the terminal: COLUMNS/LINES, else {@code stty size} on /dev/tty. */
final class Terminal {
  static final String HOME = "\u001b[H";
  static final String CLEAR_SCREEN = "\u001b[2J";
  static final String CLEAR_LINE = "\u001b[K";
  static final String CLEAR_BELOW = "\u001b[J";
  static final String HIDE_CURSOR = "\u001b[?25l";
  static final String SHOW_CURSOR = "\u001b[?25h";

  private Terminal() {}

  /**
   * Whether stdout is an interactive terminal (colour, redraw in place). Up to JDK 21 {@link
   * System#console()} is null unless stdin and stdout are terminals; from JDK 22 it is a console
   * even when they are redirected, and {@code Console.isTerminal()} (new in 22) tells them apart.
   * The launcher also sets {@code -Djdk.console=java.base}, which restores the old behaviour.
   */
  static boolean stdoutIsTerminal(String term) {
    java.io.Console c = System.console();
    return decide(c != null, c == null ? null : isTerminal(c), term);
  }

  /**
   * The decision: a console, that is a terminal where the JDK can tell ({@code isTerminal} null
   * when it cannot: before JDK 22), and a {@code TERM} other than {@code dumb}.
   */
  static boolean decide(boolean console, Boolean isTerminal, String term) {
    return console && !Boolean.FALSE.equals(isTerminal) && !"dumb".equals(term);
  }

  /** {@code Console.isTerminal()} (JDK 22 and later), or null where it does not exist. */
  static Boolean isTerminal(java.io.Console c) {
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
    } catch (NoSuchMethodException e) {
      return null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false; // it exists but cannot be asked: not a terminal, so no escapes leak
    }
  }

  /** {columns, rows}; 0 for what is unknown. */
  static int[] size(Map<String, String> env) {
    int cols = parse(env.get("COLUMNS"));
    int rows = parse(env.get("LINES"));
    if (cols > 0 && rows > 0) {
      return new int[] {cols, rows};
    }
    try {
      Process p =
          new ProcessBuilder("stty", "size")
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/tty")))
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      if (p.waitFor(2, TimeUnit.SECONDS) && p.exitValue() == 0) {
        String[] parts = out.split("\\s+");
        return new int[] {parse(parts[1]), parse(parts[0])};
      }
    } catch (Exception e) {
      // no stty or no terminal: sizes stay unknown
    }
    return new int[] {cols, rows};
  }

  private static int parse(String s) {
    try {
      return s == null ? 0 : Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
