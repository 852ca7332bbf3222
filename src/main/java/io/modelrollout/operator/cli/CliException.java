package io.modelrollout.operator.cli;

/** Ends a command with a message on stderr and an exit code of {@link ExitCodes}. */
public class CliException extends RuntimeException {
  public final int exitCode;

  public CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }
}
