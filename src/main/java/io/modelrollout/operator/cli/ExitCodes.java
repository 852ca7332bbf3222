package io.modelrollout.operator.cli;

/** The exit codes of the CLI; README's table and {@code --help} list the same. */
public final class ExitCodes {
  /** Done: promoted or healthy (wait), acknowledged (actions), shown or changed. */
  public static final int OK = 0;

  /** Rolled back, aborted or superseded (wait); an action the operator rejected; refused. */
  public static final int FAILED = 1;

  /** The time given by --timeout passed first. */
  public static final int TIMEOUT = 2;

  /** The InvalidSpec condition is true for the generation waited on. */
  public static final int INVALID_SPEC = 3;

  /** Not found, forbidden or unauthorized. */
  public static final int NOT_FOUND = 4;

  /** Anything else: the API server cannot be reached, an unexpected answer. */
  public static final int ERROR = 5;

  /** Interrupted (Ctrl-C ends a watch or a wait). */
  public static final int INTERRUPTED = 130;

  /** Bad command line. */
  public static final int USAGE = 64;

  /** The help footer. */
  static final String TABLE =
      "Exit codes:%n"
          + "  0   promoted or healthy (wait), acknowledged (actions), done%n"
          + "  1   rolled back, aborted or superseded (wait); action rejected; refused%n"
          + "  2   timeout%n"
          + "  3   invalid spec (condition InvalidSpec)%n"
          + "  4   not found, or no permission%n"
          + "  5   other errors (API server unreachable, ...)%n"
          + "  64  bad command line";

  private ExitCodes() {}
}
