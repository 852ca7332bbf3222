package io.modelrollout.operator.cli;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.RolloutPolicy;
import io.modelrollout.operator.testing.Fixtures;
import io.modelrollout.operator.testing.TestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the CLI's API-server tests share: objects to roll out and restricted credentials. */
final class CliCluster {
  static final String GATE_QUERY = "errors{model=\"{{model}}\",version=\"{{version}}\"}";

  private CliCluster() {}

  /** A canary policy: 50%, a gate, then a pause until promoted. */
  static RolloutPolicy manualCanary(String ns) {
    RolloutPolicy p =
        Fixtures.canaryPolicy(
            ns,
            "manual",
            1,
            CanaryStep.weight(50),
            CanaryStep.analysis("errors"),
            CanaryStep.pause(null));
    p.getSpec().gates.add(Fixtures.gate("errors", GATE_QUERY, 0.01));
    return p;
  }

  /** A canary policy that promotes by itself after a gate. */
  static RolloutPolicy autoCanary(String ns) {
    RolloutPolicy p =
        Fixtures.canaryPolicy(
            ns,
            "auto",
            1,
            CanaryStep.weight(50),
            CanaryStep.analysis("errors"),
            CanaryStep.pause("1s"));
    p.getSpec().gates.add(Fixtures.gate("errors", GATE_QUERY, 0.01));
    return p;
  }

  static ModelDeployment model(String ns, String name, String policy) {
    return Fixtures.withPolicy(Fixtures.model(ns, name, "1.0.0", 2), policy);
  }

  /** A Batch ModelDeployment (a CronJob; a new version runs a validation Job first). */
  static ModelDeployment batch(String ns, String name, String policy) {
    ModelDeployment md = model(ns, name, policy);
    md.getSpec().mode = io.modelrollout.operator.api.DeploymentMode.Batch;
    io.modelrollout.operator.api.BatchSpec b = new io.modelrollout.operator.api.BatchSpec();
    b.schedule = "0 2 * * *";
    b.input = "s3://data/transactions";
    b.output = "s3://scores/fraud";
    md.getSpec().batch = b;
    return md;
  }

  static void setVersion(KubernetesClient c, String ns, String name, String version) {
    Fixtures.patch(c, ns, name, "{\"spec\":{\"model\":{\"version\":\"" + version + "\"}}}");
  }

  /**
   * A kubeconfig with the token of a new ServiceAccount {@code name} in {@code ns} (TokenRequest
   * API), allowed {@code verbs} on ModelDeployments there, nothing when empty.
   */
  static Path serviceAccountKubeconfig(
      KubernetesClient admin, String ns, String name, List<String> verbs) throws IOException {
    admin
        .serviceAccounts()
        .inNamespace(ns)
        .resource(
            new ServiceAccountBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    if (!verbs.isEmpty()) {
      admin
          .rbac()
          .roles()
          .inNamespace(ns)
          .resource(
              new RoleBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .endMetadata()
                  .withRules(
                      new PolicyRuleBuilder()
                          .withApiGroups(ModelDeployment.GROUP)
                          .withResources("modeldeployments")
                          .withVerbs(verbs)
                          .build())
                  .build())
          .create();
      admin
          .rbac()
          .roleBindings()
          .inNamespace(ns)
          .resource(
              new RoleBindingBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .endMetadata()
                  .withNewRoleRef("rbac.authorization.k8s.io", "Role", name)
                  .addNewSubject()
                  .withKind("ServiceAccount")
                  .withName(name)
                  .withNamespace(ns)
                  .endSubject()
                  .build())
          .create();
    }
    String token =
        admin
            .serviceAccounts()
            .inNamespace(ns)
            .withName(name)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(3600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    Config base = TestCluster.config();
    Path f =
        Files.createDirectories(TestCluster.projectDir().resolve("target/cli-it"))
            .resolve(ns + "-" + name + ".kubeconfig");
    Files.writeString(
        f,
        "apiVersion: v1\nkind: Config\n"
            + "clusters: [{name: test, cluster: {server: '"
            + base.getMasterUrl()
            + "', certificate-authority: '"
            + base.getCaCertFile()
            + "'}}]\n"
            + "users: [{name: sa, user: {token: "
            + token
            + "}}]\n"
            + "contexts: [{name: sa, context: {cluster: test, user: sa, namespace: "
            + ns
            + "}}]\ncurrent-context: sa\n");
    return f;
  }
}
