package io.modelrollout.operator.install;

import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.Release;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.modelrollout.operator.testing.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The chart installed by {@code helm install} into a namespace of the test API server, and the
 * credentials of its ServiceAccount (a token from the TokenRequest API), so that the operator can
 * run with exactly the chart's permissions.
 */
public final class Installation {
  public final String namespace;
  public final Release release;
  public final String serviceAccount = Chart.RELEASE + "-model-rollout-operator";
  public final String deployment = serviceAccount;
  private final KubernetesClient admin;
  private String token;

  private Installation(KubernetesClient admin, String namespace, Release release) {
    this.admin = admin;
    this.namespace = namespace;
    this.release = release;
  }

  /** {@code helm install mro helm/model-rollout-operator -n namespace --set ...}. */
  static Installation install(
      KubernetesClient admin, String namespace, Map<String, Object> values) {
    return install(admin, TestCluster.kubeconfig(), namespace, values);
  }

  /** The same on the cluster of {@code admin}, whose kubeconfig is {@code kubeconfigYaml}. */
  public static Installation install(
      KubernetesClient admin, String kubeconfigYaml, String namespace, Map<String, Object> values) {
    InstallCommand cmd =
        Chart.helm()
            .install()
            .withName(Chart.RELEASE)
            .withNamespace(namespace)
            .withKubeConfigContents(kubeconfigYaml);
    values.forEach(cmd::set);
    return new Installation(admin, namespace, cmd.call());
  }

  /** A token of the chart's ServiceAccount, valid for an hour. */
  synchronized String token() {
    if (token == null) {
      token = token(serviceAccount);
    }
    return token;
  }

  /** A token of a ServiceAccount of the release namespace, valid for an hour. */
  public String token(String account) {
    return admin
        .serviceAccounts()
        .inNamespace(namespace)
        .withName(account)
        .tokenRequest(
            new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
        .getStatus()
        .getToken();
  }

  /** A client authenticated as the chart's ServiceAccount. */
  KubernetesClient serviceAccountClient() {
    Config base = TestCluster.config();
    Config c =
        new ConfigBuilder()
            .withMasterUrl(base.getMasterUrl())
            .withCaCertFile(base.getCaCertFile())
            .withCaCertData(base.getCaCertData())
            .withOauthToken(token())
            .withNamespace(namespace)
            .build();
    return new KubernetesClientBuilder().withConfig(c).build();
  }

  /** A kubeconfig with the ServiceAccount's token, for the operator process. */
  public Path kubeconfig(Path dir) throws Exception {
    return kubeconfig(dir, "operator.kubeconfig", token());
  }

  /** A kubeconfig file {@code name} in {@code dir} that authenticates with {@code token}. */
  public Path kubeconfig(Path dir, String name, String token) throws Exception {
    Config base = admin.getConfiguration();
    String ca =
        base.getCaCertData() != null
            ? base.getCaCertData()
            : java.util.Base64.getEncoder()
                .encodeToString(Files.readAllBytes(Path.of(base.getCaCertFile())));
    Path f = dir.resolve(name);
    Files.writeString(
        f,
        "apiVersion: v1\nkind: Config\n"
            + "clusters: [{name: test, cluster: {server: '"
            + base.getMasterUrl()
            + "', certificate-authority-data: "
            + ca
            + "}}]\n"
            + "users: [{name: operator, user: {token: "
            + token
            + "}}]\n"
            + "contexts: [{name: test, context: {cluster: test, user: operator, namespace: "
            + namespace
            + "}}]\ncurrent-context: test\n");
    return f;
  }

  /**
   * The operator container's environment as the chart renders it, references resolved as the
   * kubelet would (the downward API's namespace, a Secret's key).
   */
  public Map<String, String> operatorEnv() {
    Deployment d = admin.apps().deployments().inNamespace(namespace).withName(deployment).get();
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar e : d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
      if (e.getValueFrom() == null) {
        env.put(e.getName(), e.getValue() == null ? "" : e.getValue()); // "" is stored as absent
      } else if (e.getValueFrom() != null
          && e.getValueFrom().getFieldRef() != null
          && "metadata.namespace".equals(e.getValueFrom().getFieldRef().getFieldPath())) {
        env.put(e.getName(), namespace);
      } else if (e.getValueFrom().getSecretKeyRef() != null) {
        var ref = e.getValueFrom().getSecretKeyRef(); // as the kubelet reads it
        var secret = admin.secrets().inNamespace(namespace).withName(ref.getName()).get();
        if (secret == null
            || secret.getData() == null
            || !secret.getData().containsKey(ref.getKey())) {
          throw new IllegalStateException(
              "env " + e.getName() + ": no key " + ref.getKey() + " in Secret " + ref.getName());
        }
        env.put(
            e.getName(),
            new String(
                java.util.Base64.getDecoder().decode(secret.getData().get(ref.getKey())),
                java.nio.charset.StandardCharsets.UTF_8));
      } else {
        throw new IllegalStateException("cannot resolve env " + e.getName() + " outside a pod");
      }
    }
    return env;
  }
}
