package io.modelrollout.operator.cli;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.modelrollout.operator.api.ModelDeployment;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code set}: edits of the spec for those who do not use GitOps. */
@Command(
    name = "set",
    description = "Change a ModelDeployment's spec (for users without GitOps).",
    subcommands = {SetCommand.Version.class})
class SetCommand implements Callable<Integer> {
  @ParentCommand ModelRolloutCli root;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(root.env.out());
    return ExitCodes.USAGE;
  }

  /** {@code set version NAME VERSION [--uri URI]}. */
  @Command(
      name = "version",
      description = {
        "Set spec.model.version (and spec.model.uri), which starts a rollout through the policy.",
        "Refused when Argo CD manages the ModelDeployment (it would revert the change): change"
            + " the version in Git instead, or pass --force."
      })
  static final class Version implements Callable<Integer> {
    @ParentCommand SetCommand set;
    @Mixin KubeOptions kube;

    @Parameters(index = "0", paramLabel = "NAME", description = "The ModelDeployment.")
    String name;

    @Parameters(index = "1", paramLabel = "VERSION", description = "The new model version.")
    String version;

    @Option(names = "--uri", paramLabel = "URI", description = "The new spec.model.uri.")
    String uri;

    @Option(
        names = "--force",
        description = "Change it even though Argo CD manages it (it may revert the change).")
    boolean force;

    @Option(
        names = "--argocd-namespace",
        paramLabel = "NAMESPACE",
        defaultValue = "argocd",
        description =
            "Where Argo CD's argocd-cm is, to learn its resource tracking method (default:"
                + " ${DEFAULT-VALUE}).")
    String argocdNamespace;

    @Override
    public Integer call() {
      CliEnv env = set.root.env;
      kube.inherit(set.root.kube);
      String ns = kube.namespace();
      try (KubernetesClient c = kube.client()) {
        ModelDeployment md = Kube.get(c, ns, name);
        Optional<String> argo = argoCd(c, md);
        if (argo.isPresent() && !force) {
          throw new CliException(
              ExitCodes.FAILED,
              "refusing to change modeldeployment "
                  + name
                  + ": Argo CD manages it ("
                  + argo.get()
                  + "), so its next sync would revert the change. Change the version in Git,"
                  + " or pass --force to change it here anyway.");
        }
        argo.ifPresent(
            why ->
                env.err()
                    .println(
                        "warning: Argo CD manages "
                            + name
                            + " ("
                            + why
                            + "); it may revert this change"));
        var model = md.getSpec().model;
        if (version.equals(model.version) && (uri == null || uri.equals(model.uri))) {
          env.out().println(name + ": already at version " + version);
          return ExitCodes.OK;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", version);
        if (uri != null) {
          m.put("uri", uri);
        }
        ModelDeployment updated;
        try {
          updated =
              c.resources(ModelDeployment.class)
                  .inNamespace(ns)
                  .withName(name)
                  .patch(
                      PatchContext.of(PatchType.JSON_MERGE),
                      Serialization.asJson(Map.of("spec", Map.of("model", m))));
        } catch (KubernetesClientException e) {
          throw Kube.translate(e, "patch modeldeployment " + name + " in namespace " + ns);
        }
        env.out()
            .printf(
                "%s: version %s -> %s (generation %d)%n",
                name, model.version, version, updated.getMetadata().getGeneration());
        if (uri == null && model.uri != null && model.uri.contains(model.version)) {
          env.err()
              .println(
                  "note: spec.model.uri still names "
                      + model.version
                      + " ("
                      + model.uri
                      + "); pass --uri to change it");
        }
        env.out()
            .println(
                "follow it: kubectl modelrollout get "
                    + name
                    + " -n "
                    + ns
                    + " --watch, or kubectl modelrollout wait "
                    + name
                    + " -n "
                    + ns);
        return ExitCodes.OK;
      }
    }

    private Optional<String> argoCd(KubernetesClient c, ModelDeployment md) {
      String method = null;
      String why = null;
      var labels = md.getMetadata().getLabels();
      if (labels != null && labels.containsKey(ArgoCdTracking.INSTANCE_LABEL)) {
        try {
          ConfigMap cm = c.configMaps().inNamespace(argocdNamespace).withName("argocd-cm").get();
          if (cm == null) {
            why = "no ConfigMap argocd-cm in namespace " + argocdNamespace;
          } else {
            method =
                cm.getData() == null
                    ? null
                    : cm.getData().get("application.resourceTrackingMethod");
            if (method == null) {
              why =
                  "argocd-cm sets no application.resourceTrackingMethod, whose default depends on"
                      + " the Argo CD version (label before 3.0)";
            }
          }
        } catch (KubernetesClientException e) {
          why = "cannot read argocd-cm in namespace " + argocdNamespace + ": " + e.getCode();
        }
      }
      return ArgoCdTracking.managedBy(md.getMetadata(), method, why);
    }
  }
}
