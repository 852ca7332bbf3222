package io.modelrollout.operator.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.RolloutPolicy;
import io.modelrollout.operator.api.RolloutPolicySpec;
import io.modelrollout.operator.rollout.FollowUpPolicy;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code list}: the ModelDeployments of a namespace, or of all. */
@Command(
    name = "list",
    aliases = {"ls"},
    description =
        "List ModelDeployments: the columns of kubectl get, plus the step and a gate summary.")
class ListCommand implements Callable<Integer> {
  @ParentCommand ModelRolloutCli root;
  @Mixin KubeOptions kube;
  @Mixin OutputOptions output;

  @Option(
      names = {"-A", "--all-namespaces"},
      description = "List the ModelDeployments of every namespace.")
  boolean all;

  @Override
  public Integer call() {
    CliEnv env = root.env;
    kube.inherit(root.kube);
    try (KubernetesClient c = kube.client()) {
      List<ModelDeployment> items;
      Map<String, RolloutPolicySpec> policies = new HashMap<>();
      try {
        var mds = c.resources(ModelDeployment.class);
        items =
            all ? mds.inAnyNamespace().list().getItems() : mds.inNamespace(ns()).list().getItems();
      } catch (KubernetesClientException e) {
        throw Kube.translate(e, "list modeldeployments" + (all ? "" : " in namespace " + ns()));
      }
      try {
        var ps = c.resources(RolloutPolicy.class);
        for (RolloutPolicy p :
            all ? ps.inAnyNamespace().list().getItems() : ps.inNamespace(ns()).list().getItems()) {
          policies.put(
              p.getMetadata().getNamespace() + "/" + p.getMetadata().getName(), p.getSpec());
        }
      } catch (KubernetesClientException e) {
        // without policies the STEP column shows no total
      }
      List<ListRow> rows =
          items.stream()
              .sorted(
                  Comparator.comparing((ModelDeployment m) -> m.getMetadata().getNamespace())
                      .thenComparing(m -> m.getMetadata().getName()))
              .map(m -> ListRow.of(m, steps(m, policies)))
              .toList();
      if (output.output != null) {
        env.out().print(Output.write(output.output, Map.of("items", rows)));
      } else if (rows.isEmpty()) {
        env.err()
            .println(
                all
                    ? "No ModelDeployments found."
                    : "No ModelDeployments found in " + ns() + " namespace.");
      } else {
        env.out()
            .print(
                ListRow.render(
                    rows,
                    all,
                    output.style(env),
                    env.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
      }
      return ExitCodes.OK;
    }
  }

  private String ns() {
    return kube.namespace();
  }

  /** The number of steps the operator walks for {@code m}, or null when unknown. */
  static Integer steps(ModelDeployment m, Map<String, RolloutPolicySpec> policies) {
    var r = m.getSpec() == null ? null : m.getSpec().rollout;
    RolloutPolicySpec spec;
    if (r == null || (r.policy == null && r.policyRef == null)) {
      spec = null;
    } else if (r.policy != null) {
      spec = r.policy;
    } else {
      spec = policies.get(m.getMetadata().getNamespace() + "/" + r.policyRef.name);
      if (spec == null) {
        return null;
      }
    }
    String follow = FollowUpPolicy.ref(spec);
    if (follow != null) {
      RolloutPolicySpec f = policies.get(m.getMetadata().getNamespace() + "/" + follow);
      if (f == null || f.canary == null) {
        return null;
      }
      spec = FollowUpPolicy.inline(spec, f);
    }
    return StepPlan.count(m.getSpec(), spec);
  }
}
