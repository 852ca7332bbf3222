package io.modelrollout.operator.cli;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.RolloutPolicy;
import io.modelrollout.operator.api.RolloutSpec;
import io.modelrollout.operator.cli.RolloutView.PolicyInfo;
import io.modelrollout.operator.rollout.FollowUpPolicy;
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

  /**
   * The policy of {@code md}: referenced, inline or none; an error in words when unreadable. A
   * shadow whose follow-up canary is another RolloutPolicy ({@code shadow.then.policyRef}) gets its
   * steps and gates inlined, as the operator does.
   */
  static PolicyInfo policy(KubernetesClient c, ModelDeployment md) {
    RolloutSpec r = md.getSpec() == null ? null : md.getSpec().rollout;
    if (r == null || (r.policyRef == null && r.policy == null)) {
      return PolicyInfo.none();
    }
    String ns = md.getMetadata().getNamespace();
    PolicyInfo info;
    if (r.policy != null) {
      info = new PolicyInfo(r.policy, null, "inline", null);
    } else {
      String name = r.policyRef.name;
      try {
        RolloutPolicy p = readPolicy(c, ns, name);
        info =
            p == null
                ? new PolicyInfo(
                    null, name, "RolloutPolicy", "RolloutPolicy " + name + " not found")
                : new PolicyInfo(p.getSpec(), name, "RolloutPolicy", null);
      } catch (KubernetesClientException e) {
        return new PolicyInfo(
            null,
            name,
            "RolloutPolicy",
            "cannot read RolloutPolicy " + name + ": " + apiMessage(e));
      }
    }
    String follow = FollowUpPolicy.ref(info.spec());
    if (follow == null) {
      return info;
    }
    String error;
    try {
      RolloutPolicy f = readPolicy(c, ns, follow);
      if (f != null && f.getSpec() != null && f.getSpec().canary != null) {
        return new PolicyInfo(
            FollowUpPolicy.inline(info.spec(), f.getSpec()), info.name(), info.source(), null);
      }
      error =
          "the shadow's follow-up RolloutPolicy "
              + follow
              + (f == null ? " not found" : " has no canary steps");
    } catch (KubernetesClientException e) {
      error = "cannot read the shadow's follow-up RolloutPolicy " + follow + ": " + apiMessage(e);
    }
    return new PolicyInfo(info.spec(), info.name(), info.source(), error);
  }

  private static RolloutPolicy readPolicy(KubernetesClient c, String ns, String name) {
    return c.resources(RolloutPolicy.class).inNamespace(ns).withName(name).get();
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
