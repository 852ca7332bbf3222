package io.modelrollout.operator.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import picocli.CommandLine.Option;

/** The connection options every command takes, as kubectl spells them. */
public class KubeOptions {
  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "NAMESPACE",
      description = "Namespace (default: the kubeconfig context's, else default).")
  String namespace;

  @Option(
      names = "--context",
      paramLabel = "CONTEXT",
      description = "The kubeconfig context to use (default: the current one).")
  String context;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description = "Path to the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config).")
  File kubeconfig;

  @Option(
      names = "--request-timeout",
      paramLabel = "DURATION",
      defaultValue = "30s",
      description = "How long one request to the API server may take (default: ${DEFAULT-VALUE}).")
  String requestTimeout;

  private Config config;

  /**
   * Takes what was not given here from {@code parent}, the options given before the command name
   * ({@code kubectl mr -n models get NAME}).
   */
  KubeOptions inherit(KubeOptions parent) {
    if (parent != null) {
      if (namespace == null) namespace = parent.namespace;
      if (context == null) context = parent.context;
      if (kubeconfig == null) kubeconfig = parent.kubeconfig;
      if ("30s".equals(requestTimeout)) requestTimeout = parent.requestTimeout;
    }
    return this;
  }

  synchronized Config config() {
    if (config == null) {
      Config base;
      if (kubeconfig != null) {
        if (!kubeconfig.isFile()) {
          throw new CliException(ExitCodes.ERROR, "kubeconfig " + kubeconfig + " does not exist");
        }
        base = Config.fromKubeconfig(context, kubeconfig);
      } else {
        String missing = missingKubeconfig(System.getenv("KUBECONFIG"));
        if (missing != null) {
          throw new CliException(ExitCodes.ERROR, missing);
        }
        base = Config.autoConfigure(context);
      }
      if (context != null
          && (base.getCurrentContext() == null
              || !context.equals(base.getCurrentContext().getName()))) {
        throw new CliException(
            ExitCodes.ERROR, "context \"" + context + "\" is not in the kubeconfig");
      }
      int timeout = (int) Durations.parse(requestTimeout).toMillis();
      config =
          new ConfigBuilder(base)
              .withRequestTimeout(timeout)
              .withConnectionTimeout(Math.min(timeout, 10_000))
              .withRequestRetryBackoffLimit(1)
              .build();
    }
    return config;
  }

  /**
   * Why {@code KUBECONFIG} cannot be used: it names only files that do not exist (the client would
   * otherwise fall back to an address that cannot be resolved, a confusing error); null if fine.
   */
  static String missingKubeconfig(String env) {
    if (env == null || env.isBlank()) {
      return null;
    }
    boolean any =
        java.util.Arrays.stream(env.split(java.io.File.pathSeparator))
            .anyMatch(f -> !f.isBlank() && new java.io.File(f).isFile());
    return any ? null : "KUBECONFIG names " + env + ", which does not exist";
  }

  KubernetesClient client() {
    return new KubernetesClientBuilder().withConfig(config()).build();
  }

  /** The namespace of -n, else the context's, else default. */
  String namespace() {
    if (namespace != null && !namespace.isBlank()) {
      return namespace;
    }
    String ns = config().getNamespace();
    return ns == null || ns.isBlank() ? "default" : ns;
  }

  /** Durations as kubectl takes them: 30s, 5m, 1h30m, or plain seconds. */
  static final class Durations {
    private Durations() {}

    static java.time.Duration parse(String text) {
      String t = text.trim();
      if (t.matches("[0-9]+")) {
        return java.time.Duration.ofSeconds(Long.parseLong(t));
      }
      try {
        return io.modelrollout.operator.api.Durations.parse(t);
      } catch (IllegalArgumentException e) {
        throw new CliException(
            ExitCodes.USAGE, "'" + text + "' is not a duration such as 30s, 5m, 1h30m or 90");
      }
    }
  }
}
