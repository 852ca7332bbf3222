package io.modelrollout.operator.cli;

import picocli.CommandLine.Option;

/** {@code -o json|yaml} and {@code --color}. */
public class OutputOptions {
  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "json or yaml: a document for scripts instead of text.")
  Output.Format output;

  @Option(
      names = "--color",
      paramLabel = "WHEN",
      defaultValue = "auto",
      description = "auto (on a terminal, unless NO_COLOR is set), always or never.")
  String color;

  Style style(CliEnv env) {
    if (!java.util.Set.of("auto", "always", "never").contains(color)) {
      throw new CliException(ExitCodes.USAGE, "--color must be auto, always or never");
    }
    return env.colour(color) ? Style.TERMINAL : Style.PLAIN;
  }
}
