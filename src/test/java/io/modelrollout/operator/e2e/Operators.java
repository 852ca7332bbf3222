package io.modelrollout.operator.e2e;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelrollout.operator.install.Chart;
import io.modelrollout.operator.install.OperatorProcess;
import io.modelrollout.operator.testing.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Starts the packaged operator ({@code java -jar target/quarkus-app/quarkus-run.jar}) against the
 * full cluster, configured as the chart configures it and authenticated as a ServiceAccount that
 * has exactly the chart's permissions.
 */
public final class Operators {
  public static final String FULLNAME = Chart.RELEASE + "-model-rollout-operator";

  private Operators() {}

  /**
   * A ServiceAccount of the release namespace bound to the chart's roles, so that two operators can
   * be told apart in the audit log.
   */
  static void account(FullCluster c, String name) {
    String ns = FullCluster.RELEASE_NAMESPACE;
    try (KubernetesClient admin = c.admin()) {
      if (admin.serviceAccounts().inNamespace(ns).withName(name).get() != null) {
        return;
      }
      admin
          .serviceAccounts()
          .inNamespace(ns)
          .resource(
              new ServiceAccountBuilder().withNewMetadata().withName(name).endMetadata().build())
          .create();
      admin
          .resource(
              new ClusterRoleBindingBuilder()
                  .withNewMetadata()
                  .withName(FULLNAME + "-" + name)
                  .endMetadata()
                  .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", FULLNAME)
                  .addNewSubject()
                  .withKind("ServiceAccount")
                  .withName(name)
                  .withNamespace(ns)
                  .endSubject()
                  .build())
          .create();
      admin
          .resource(
              new RoleBindingBuilder()
                  .withNewMetadata()
                  .withName(FULLNAME + "-leader-election-" + name)
                  .withNamespace(ns)
                  .endMetadata()
                  .withNewRoleRef(
                      "rbac.authorization.k8s.io", "Role", FULLNAME + "-leader-election")
                  .addNewSubject()
                  .withKind("ServiceAccount")
                  .withName(name)
                  .withNamespace(ns)
                  .endSubject()
                  .build())
          .create();
    }
  }

  /**
   * Starts an operator as {@code account} (the chart's own ServiceAccount when null), with the
   * chart's environment plus {@code env}, and waits until it is ready.
   */
  static OperatorProcess start(FullCluster c, String account, String name, Map<String, String> env)
      throws Exception {
    return start(c, account, name, env, java.util.List.of("-Xmx256m"));
  }

  /** The same with these JVM flags. */
  public static OperatorProcess start(
      FullCluster c,
      String account,
      String name,
      Map<String, String> env,
      java.util.List<String> jvm)
      throws Exception {
    Path dir = TestCluster.projectDir().resolve("target/e2e/operators");
    Files.createDirectories(dir);
    String sa = account == null ? c.chart.serviceAccount : account;
    Map<String, String> all = new LinkedHashMap<>(c.chart.operatorEnv());
    all.put(
        "KUBECONFIG", c.chart.kubeconfig(dir, name + ".kubeconfig", c.chart.token(sa)).toString());
    all.put("HOSTNAME", name);
    all.putAll(env);
    OperatorProcess p =
        OperatorProcess.jar(all, dir.resolve(name + "-" + System.nanoTime() + ".log"), jvm);
    p.awaitReady(Duration.ofSeconds(60));
    return p;
  }
}
