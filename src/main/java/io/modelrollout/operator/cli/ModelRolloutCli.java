package io.modelrollout.operator.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code kubectl modelrollout} (also {@code kubectl mr}): see a rollout at a glance, act on it, and
 * wait for it in a pipeline. The entry point of the packaged {@code kubectl-modelrollout}.
 */
@Command(
    name = "kubectl modelrollout",
    mixinStandardHelpOptions = true,
    versionProvider = ModelRolloutCli.Version.class,
    description = {
      "See, steer and wait for the rollouts of ModelDeployments (modelrollout.io).",
      "Also installed as 'kubectl mr'. Uses the current kubeconfig, like kubectl."
    },
    subcommands = {
      GetCommand.class,
      ListCommand.class,
      HistoryCommand.class,
      WaitCommand.class,
      ActionCommands.Promote.class,
      ActionCommands.Abort.class,
      ActionCommands.Retry.class,
      ActionCommands.Pause.class,
      ActionCommands.Resume.class,
      SetCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {"", ExitCodes.TABLE},
    exitCodeOnInvalidInput = ExitCodes.USAGE,
    exitCodeOnExecutionException = ExitCodes.ERROR)
public class ModelRolloutCli implements Callable<Integer> {
  final CliEnv env;

  @Spec CommandSpec spec;

  /** Connection options given before the command name; the command's own win. */
  @picocli.CommandLine.Mixin KubeOptions kube;

  public ModelRolloutCli(CliEnv env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(env.out());
    return ExitCodes.USAGE;
  }

  public static void main(String[] args) {
    System.exit(run(CliEnv.system(), args));
  }

  /** Runs the command line {@code args}; returns the exit code. */
  public static int run(CliEnv env, String... args) {
    CommandLine cl = new CommandLine(new ModelRolloutCli(env));
    configure(cl);
    cl.setOut(env.out());
    cl.setErr(env.err());
    cl.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return ExitCodes.INTERRUPTED;
          }
          if (e instanceof CliException c) {
            env.err().println("error: " + c.getMessage());
            env.err().flush();
            return c.exitCode;
          }
          env.err().println("error: " + e);
          env.err().flush();
          return ExitCodes.ERROR;
        });
    int code = cl.execute(args);
    env.out().flush();
    env.err().flush();
    return code;
  }

  /** Every command: --help and --version, and the CLI's exit codes for bad input and errors. */
  private static void configure(CommandLine cl) {
    cl.getCommandSpec()
        .mixinStandardHelpOptions(true)
        .exitCodeOnInvalidInput(ExitCodes.USAGE)
        .exitCodeOnExecutionException(ExitCodes.ERROR);
    cl.getSubcommands().values().forEach(ModelRolloutCli::configure);
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = ModelRolloutCli.class.getPackage().getImplementationVersion();
      return new String[] {"kubectl-modelrollout " + (v == null ? "dev" : v)};
    }
  }
}
