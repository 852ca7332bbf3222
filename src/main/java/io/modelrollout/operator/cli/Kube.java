package io.modelrollout.operator.cli;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.RolloutPolicy;
import io.modelrollout.operator.api.RolloutSpec;
import io.modelrollout.operator.cli.RolloutView.PolicyInfo;
import java.net.HttpURLConnection;
import java.util.List;

/** The reads every command shares, with API errors turned into exit codes. */
final class Kube {
  static final String KIND = "ModelDeployment";

  private Kube() {}

  /** The ModelDeployment, or exit code 4 when it does not exist or may not be read. */
  static ModelDeployment get(KubernetesClient c, String ns, String name) {
    ModelDeployment md;
    try {
      md = c.resources(ModelDeployment.class).inNamespace(ns).withName(name).get();
    } catch (KubernetesClientException e) {
      throw translate(e, "get modeldeployment " + name + " in namespace " + ns);
    }
    if (md == null) {
      throw new CliException(
          ExitCodes.NOT_FOUND,
          "modeldeployment \"" + name + "\" not found in namespace \"" + ns + "\"");
    }
    return md;
  }

  /** An API error as the CLI reports it: 4 for not found or no permission, 5 otherwise. */
  static CliException translate(KubernetesClientException e, String what) {
    int code = e.getCode();
    String message = apiMessage(e);
    if (code == HttpURLConnection.HTTP_NOT_FOUND
        || code == HttpURLConnection.HTTP_FORBIDDEN
        || code == HttpURLConnection.HTTP_UNAUTHORIZED) {
      String kind =
          switch (code) {
            case HttpURLConnection.HTTP_FORBIDDEN -> "forbidden";
            case HttpURLConnection.HTTP_UNAUTHORIZED -> "unauthorized";
            default -> "not found";
          };
      return new CliException(ExitCodes.NOT_FOUND, "cannot " + what + ": " + kind + ": " + message);
    }
    if (code <= 0) {
      return new CliException(
          ExitCodes.ERROR, "cannot " + what + ": the API server cannot be reached: " + message);
    }
    return new CliException(ExitCodes.ERROR, "cannot " + what + ": " + code + " " + message);
  }

  /** The API server's own words for an error, or the innermost cause's. */
  private static String apiMessage(KubernetesClientException e) {
    return e.getStatus() != null && e.getStatus().getMessage() != null
        ? e.getStatus().getMessage()
        : rootMessage(e);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  /** The policy of {@code md}: referenced, inline or none; an error in words when unreadable. */
  static PolicyInfo policy(KubernetesClient c, ModelDeployment md) {
    RolloutSpec r = md.getSpec() == null ? null : md.getSpec().rollout;
    if (r == null || (r.policyRef == null && r.policy == null)) {
      return PolicyInfo.none();
    }
    if (r.policy != null) {
      return new PolicyInfo(r.policy, null, "inline", null);
    }
    String name = r.policyRef.name;
    try {
      RolloutPolicy p =
          c.resources(RolloutPolicy.class)
              .inNamespace(md.getMetadata().getNamespace())
              .withName(name)
              .get();
      return p == null
          ? new PolicyInfo(null, name, "RolloutPolicy", "RolloutPolicy " + name + " not found")
          : new PolicyInfo(p.getSpec(), name, "RolloutPolicy", null);
    } catch (KubernetesClientException e) {
      return new PolicyInfo(
          null, name, "RolloutPolicy", "cannot read RolloutPolicy " + name + ": " + apiMessage(e));
    }
  }

  /** The Events of the ModelDeployment {@code name}; none when they may not be read. */
  static List<Event> events(KubernetesClient c, String ns, String name) {
    try {
      return c.v1()
          .events()
          .inNamespace(ns)
          .withField("involvedObject.kind", KIND)
          .withField("involvedObject.name", name)
          .list()
          .getItems();
    } catch (KubernetesClientException e) {
      return List.of();
    }
  }
}
