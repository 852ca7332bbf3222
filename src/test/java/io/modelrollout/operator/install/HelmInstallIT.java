package io.modelrollout.operator.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.GateSpec;
import io.modelrollout.operator.api.HistoryEntry.Outcome;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.RolloutPolicy;
import io.modelrollout.operator.api.TrafficProvider;
import io.modelrollout.operator.api.TrafficSpec;
import io.modelrollout.operator.testing.FakeDeploymentController;
import io.modelrollout.operator.testing.Fixtures;
import io.modelrollout.operator.testing.TestCluster;
import io.modelrollout.operator.testing.TestExporter;
import io.modelrollout.operator.testing.TestPrometheus;
import io.modelrollout.operator.testing.TokenProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The chart on a real API server: its manifests pass a server-side dry-run (its pod under
 * restricted Pod Security), {@code helm install} rejects a value of the wrong type and prints the
 * NOTES, and the packaged operator, authenticated as the chart's ServiceAccount with the chart's
 * environment, completes a canary (a gate read through its own Secret, one with the operator's
 * Prometheus token, a manual promotion, a rollback) — so a missing permission fails here — while
 * what the chart does not grant is refused; every modelrollout_* metric it exports is documented.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HelmInstallIT {
  static final String PROM_TOKEN = "gate-token";
  static final String OPERATOR_PROM_SECRET = "prometheus-operator-auth";
  KubernetesClient admin;
  String releaseNs;
  String appNs;
  String otherNs;
  Installation installation;
  TestExporter exporter;
  TestPrometheus prometheus;
  TokenProxy proxy;
  OperatorProcess operator;
  FakeDeploymentController pods;

  @BeforeAll
  void installAndStart() throws Exception {
    admin = TestCluster.client();
    releaseNs = TestCluster.newNamespace(admin, "mro-system");
    appNs = TestCluster.newNamespace(admin, "models");
    otherNs = TestCluster.newNamespace(admin, "elsewhere");
    exporter = new TestExporter();
    prometheus = TestPrometheus.start(exporter.target());
    proxy = new TokenProxy(prometheus.address(), PROM_TOKEN);

    // the operator's own Prometheus token (prometheus.authSecret), for gates without a secretRef
    admin
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(OPERATOR_PROM_SECRET)
                .withNamespace(releaseNs)
                .endMetadata()
                .addToStringData("token", PROM_TOKEN)
                .build())
        .create();
    Map<String, Object> values = new HashMap<>();
    values.put("replicas", 2); // leader election and a PodDisruptionBudget
    values.put("watchNamespaces[0]", appNs); // a Role in appNs only
    values.put("prometheus.address", proxy.address());
    values.put("prometheus.authSecret.name", OPERATOR_PROM_SECRET);
    values.put("log.level", "DEBUG");
    installation = Installation.install(admin, releaseNs, values);
    TestCluster.installRouteCrds(); // before the operator discovers which data planes exist
    Path dir = Files.createDirectories(TestCluster.projectDir().resolve("target/helm-install-it"));
    Files.writeString(dir.resolve("helm-install.txt"), installation.release.getOutput());
    Map<String, String> env = new HashMap<>(installation.operatorEnv());
    env.put("KUBECONFIG", installation.kubeconfig(dir).toString());
    operator = OperatorProcess.jar(env, dir.resolve("operator.log"));
    operator.awaitReady(Duration.ofSeconds(90));
    pods = new FakeDeploymentController(admin, appNs);
  }

  @AfterAll
  void stop() throws Exception {
    if (operator != null) operator.close();
    if (pods != null) pods.close();
    if (proxy != null) proxy.close();
    if (prometheus != null) prometheus.close();
    if (exporter != null) exporter.close();
    if (admin != null) admin.close();
  }

  @Test
  void installedReleaseHasTheChartsObjects() {
    assertThat(installation.release.getStatus()).isEqualTo("deployed");
    assertThat(admin.rbac().roles().inNamespace(appNs).withName(installation.deployment).get())
        .isNotNull();
    assertThat(admin.rbac().clusterRoles().withName(installation.deployment).get())
        .as("watchNamespaces set: no ClusterRole")
        .isNull();
    assertThat(admin.policy().v1().podDisruptionBudget().inNamespace(releaseNs).list().getItems())
        .hasSize(1);
  }

  @Test
  void installOutputShowsTheNotes() {
    String out = installation.release.getOutput();
    String d = installation.deployment;
    assertThat(out)
        .contains("STATUS: deployed")
        .contains("NOTES:")
        .contains("is installed as " + d + " in " + releaseNs + ".")
        .contains("watching:         " + appNs + " (a Role in each)")
        .contains("leader election:  true (2 replicas)")
        .contains(
            "Prometheus:       "
                + proxy.address()
                + " (bearer token from Secret "
                + OPERATOR_PROM_SECRET
                + ", key token)")
        .contains("kubectl -n " + releaseNs + " rollout status deployment/" + d)
        .contains("kubectl -n " + releaseNs + " logs deployment/" + d)
        .contains("kubectl apply -f examples/canary-policy.yaml -f examples/canary.yaml")
        .contains("http://" + d + "." + releaseNs + ".svc:8080/q/metrics")
        .contains("serviceMonitor.enabled=true creates a ServiceMonitor")
        .contains("kubectl apply --server-side -f helm/model-rollout-operator/crds/");
    assertThat(TestCluster.projectDir().resolve("examples/canary.yaml")).exists();
  }

  @Test
  void operatorUnderTheChartsRbacCompletesACanaryAndARollback() throws Exception {
    admin
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("prom-auth")
                .withNamespace(appNs)
                .endMetadata()
                .addToStringData("token", PROM_TOKEN)
                .build())
        .create();
    GateSpec gate =
        Fixtures.gate(
            "errors", "model_error_ratio{model=\"{{model}}\",version=\"{{version}}\"}", 0.01);
    gate.prometheus.secretRef = new GateSpec.SecretRef();
    gate.prometheus.secretRef.name = "prom-auth";
    // no secretRef: the operator's token from prometheus.authSecret
    GateSpec operatorAuth =
        Fixtures.gate(
            "errors-operator-auth",
            "model_error_ratio{model=\"{{model}}\",version=\"{{version}}\"}",
            0.01);
    RolloutPolicy policy =
        Fixtures.canaryPolicy(
            appNs,
            "safe-canary",
            1,
            CanaryStep.weight(25),
            CanaryStep.analysis("errors", "errors-operator-auth"),
            CanaryStep.weight(50),
            CanaryStep.pause(null)); // waits for a promote action
    policy.getSpec().gates.add(gate);
    policy.getSpec().gates.add(operatorAuth);
    admin.resource(policy).create();
    admin
        .resource(Fixtures.withPolicy(Fixtures.model(appNs, "fraud", "1.0.0", 2), "safe-canary"))
        .create();
    awaitMd(m -> m.getStatus().phase == Phase.Healthy);

    exporter.set("model_error_ratio{model=\"fraud-detector\",version=\"2.0.0\"}", 0.001);
    setVersion("2.0.0");
    // past the analysis: both gates passed, so Prometheus (which wants the token) answered both,
    // the one with the gate's Secret and the one with the operator's token
    awaitMd(m -> m.getStatus().phase == Phase.Paused && m.getStatus().weights.canary == 50);
    Fixtures.patch(
        admin,
        appNs,
        "fraud",
        "{\"metadata\":{\"annotations\":{\"modelrollout.io/action\":\"promote\"}}}");
    ModelDeployment promoted =
        awaitMd(m -> "2.0.0".equals(m.getStatus().stable.version) && m.getStatus().canary == null);
    assertThat(promoted.getStatus().phase).isEqualTo(Phase.Healthy);
    assertThat(promoted.getStatus().history.get(0).outcome).isEqualTo(Outcome.Promoted);
    assertThat(promoted.getMetadata().getAnnotations()).doesNotContainKey("modelrollout.io/action");
    assertThat(promoted.getStatus().lastAction.action).isEqualTo("promote");

    exporter.set("model_error_ratio{model=\"fraud-detector\",version=\"3.0.0\"}", 0.2);
    setVersion("3.0.0");
    ModelDeployment rolledBack = awaitMd(m -> m.getStatus().phase == Phase.RolledBack);
    Files.writeString(
        TestCluster.projectDir().resolve("target/helm-install-it/modeldeployment.yaml"),
        admin.getKubernetesSerialization().asYaml(rolledBack));
    assertThat(rolledBack.getStatus().stable.version).isEqualTo("2.0.0");
    assertThat(rolledBack.getStatus().gates).anySatisfy(g -> assertThat(g.value).isEqualTo(0.2));

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> reasons().contains("RolledBack") && reasons().contains("RolloutPromoted"));
    Lease lease = admin.leases().inNamespace(releaseNs).withName(installation.deployment).get();
    assertThat(lease).as("leader election took the chart's Lease").isNotNull();
    assertThat(lease.getSpec().getHolderIdentity()).isNotBlank();

    String metrics = operator.get("/q/metrics").body();
    for (String m : OperatorMetrics.AFTER_A_PROMOTION) {
      assertThat(metrics).as("/q/metrics has %s", m).containsPattern("(?m)^" + m + "[{ ]");
    }
    for (String m : OperatorMetrics.AFTER_A_ROLLBACK) {
      assertThat(metrics).as("/q/metrics has %s", m).containsPattern("(?m)^" + m + "[{ ]");
    }
    assertThat(metrics)
        .as("the gate's max as a threshold series")
        .containsPattern(
            "(?m)^modelrollout_gate_threshold\\{bound=\"max\",gate=\"errors\",name=\"fraud\",.*\\} 0\\.01$");
    String readme = Files.readString(TestCluster.projectDir().resolve("README.md"));
    java.util.Set<String> scraped = new java.util.TreeSet<>();
    java.util.regex.Matcher sample =
        java.util.regex.Pattern.compile("(?m)^(modelrollout_[a-zA-Z0-9_]+)[{ ]").matcher(metrics);
    while (sample.find()) {
      scraped.add(sample.group(1));
    }
    assertThat(scraped).as("modelrollout_* names on /q/metrics").hasSizeGreaterThan(10);
    assertThat(scraped).as("every one is in OperatorMetrics").isSubsetOf(OperatorMetrics.all());
    for (String m : scraped) {
      assertThat(readme)
          .as("README documents %s", m)
          .contains("`" + m.replaceAll("_(bucket|count|sum|max)$", "") + "`");
    }
    assertThat(operator.log())
        .as("nothing the operator did was refused (events, for one, are only logged)")
        .doesNotContainIgnoringCase("forbidden");
  }

  @Test
  void routedCanaryAndAProviderSwitchUnderTheChartsRbac() {
    admin
        .resource(
            Fixtures.canaryPolicy(
                appNs, "routed", 1, CanaryStep.weight(50), CanaryStep.pause("1s")))
        .create();
    ModelDeployment md = Fixtures.withPolicy(Fixtures.model(appNs, "routed", "1.0.0", 2), "routed");
    md.getSpec().traffic = new TrafficSpec();
    md.getSpec().traffic.provider = TrafficProvider.GatewayAPI;
    md.getSpec().traffic.gatewayAPI = new TrafficSpec.GatewayApi();
    TrafficSpec.ParentRef gateway = new TrafficSpec.ParentRef();
    gateway.name = "gateway";
    md.getSpec().traffic.gatewayAPI.parentRefs = List.of(gateway);
    admin.resource(md).create();
    awaitMd("routed", m -> m.getStatus().phase == Phase.Healthy);
    Fixtures.patch(admin, appNs, "routed", "{\"spec\":{\"model\":{\"version\":\"2.0.0\"}}}");
    ModelDeployment promoted = awaitMd("routed", m -> "2.0.0".equals(m.getStatus().stable.version));
    assertThat(promoted.getStatus().weights.provider).isEqualTo("GatewayAPI");
    assertThat(promoted.getStatus().weights.verified).isTrue();
    assertThat(admin.resources(HTTPRoute.class).inNamespace(appNs).withName("routed").get())
        .isNotNull();

    Fixtures.patch(
        admin,
        appNs,
        "routed",
        "{\"spec\":{\"traffic\":{\"provider\":\"Istio\",\"gatewayAPI\":null}}}");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                admin
                            .genericKubernetesResources("networking.istio.io/v1", "VirtualService")
                            .inNamespace(appNs)
                            .withName("routed")
                            .get()
                        != null
                    && admin.resources(HTTPRoute.class).inNamespace(appNs).withName("routed").get()
                        == null);
  }

  @Test
  void whatTheChartDoesNotGrantIsRefused() {
    try (KubernetesClient sa = installation.serviceAccountClient()) {
      assertForbidden(() -> sa.secrets().inNamespace(appNs).list(), "list Secrets (get only)");
      assertForbidden(
          () -> sa.secrets().inNamespace(otherNs).withName("any").get(),
          "read a Secret outside the watched namespaces");
      assertForbidden(
          () -> sa.secrets().inNamespace(releaseNs).withName(OPERATOR_PROM_SECRET).get(),
          "read its own Prometheus token's Secret (the kubelet hands it over as env)");
      assertForbidden(
          () -> sa.resources(ModelDeployment.class).inNamespace(otherNs).list(),
          "list ModelDeployments outside the watched namespaces");
      assertForbidden(
          () -> sa.apps().deployments().inNamespace(releaseNs).list(),
          "list Deployments in its own, unwatched namespace");
      assertForbidden(
          () ->
              sa.rbac()
                  .clusterRoles()
                  .resource(
                      new ClusterRoleBuilder()
                          .withNewMetadata()
                          .withName("escalate")
                          .endMetadata()
                          .build())
                  .create(),
          "create a ClusterRole");
      assertForbidden(
          () ->
              sa.pods()
                  .inNamespace(appNs)
                  .resource(
                      new PodBuilder()
                          .withNewMetadata()
                          .withName("not-mine")
                          .endMetadata()
                          .withNewSpec()
                          .addNewContainer()
                          .withName("c")
                          .withImage("x")
                          .endContainer()
                          .endSpec()
                          .build())
                  .create(),
          "create a Pod (the modes read pods, never write them)");
      assertForbidden(
          () -> sa.nodes().list(), "list Nodes (only with edge.enabled, not installed here)");
      ModelDeployment md = Fixtures.model(appNs, "written-by-operator", "1.0.0", 1);
      assertForbidden(
          () -> sa.resource(md).create(), "create a ModelDeployment (spec is the user's)");
      assertForbidden(
          () -> sa.leases().inNamespace(releaseNs).withName("someone-elses-lease").get(),
          "read a Lease other than its own");
    }
  }

  /**
   * The rendered manifests pass a server-side dry-run in a namespace that enforces the restricted
   * Pod Security Standard, and so does a Pod made from the Deployment's pod template (Pod Security
   * admission checks pods, not Deployments), while the same Pod without its security context is
   * refused there: the admission really runs.
   */
  @Test
  void renderedManifestsPassAServerSideDryRunUnderRestrictedPodSecurity() throws Exception {
    TestCluster.installCrds(
        admin, TestCluster.projectDir().resolve("src/test/resources/monitoring-crds"));
    String ns = TestCluster.newNamespace(admin, "dry-run");
    admin
        .namespaces()
        .withName(ns)
        .edit(
            n ->
                new NamespaceBuilder(n)
                    .editMetadata()
                    .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
                    .addToLabels("pod-security.kubernetes.io/enforce-version", "latest")
                    .endMetadata()
                    .build());
    String watched = TestCluster.newNamespace(admin, "dry-run-watched");
    Map<String, Object> all = new HashMap<>(OptionalFeatures.VALUES);
    all.put("watchNamespaces[0]", watched);
    for (Map<String, Object> values : java.util.List.of(Map.<String, Object>of(), all)) {
      var objects = Chart.objects(Chart.template(ns, values));
      assertThat(objects).isNotEmpty();
      for (Map<String, Object> o : objects) {
        GenericKubernetesResource r =
            admin.getKubernetesSerialization().convertValue(o, GenericKubernetesResource.class);
        var applied = admin.resource(r).dryRun().create();
        assertThat(applied.getMetadata().getUid()).as("dry-run of %s", r.getKind()).isNotNull();
      }
      Deployment d =
          admin
              .getKubernetesSerialization()
              .convertValue(Chart.ofKind(objects, "Deployment").get(0), Deployment.class);
      Pod pod = podOf(d, ns);
      Pod admitted = admin.resource(pod).dryRun().create();
      assertThat(admitted.getMetadata().getUid())
          .as("a pod of the chart is admitted under restricted pod security")
          .isNotNull();
    }

    Pod bare =
        podOf(
            admin
                .getKubernetesSerialization()
                .convertValue(
                    Chart.ofKind(Chart.objects(Chart.template(ns, Map.of())), "Deployment").get(0),
                    Deployment.class),
            ns);
    bare.getSpec().setSecurityContext(null);
    bare.getSpec().getContainers().forEach(c -> c.setSecurityContext(null));
    assertThatThrownBy(() -> admin.resource(bare).dryRun().create())
        .as("without its security context the pod is refused: Pod Security admission is on")
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(403);
              assertThat(e.getMessage()).contains("restricted");
            });
  }

  /** A Pod as the Deployment's ReplicaSet would create it from its template. */
  private static Pod podOf(Deployment d, String namespace) {
    var template = d.getSpec().getTemplate();
    return new PodBuilder()
        .withNewMetadata()
        .withName(d.getMetadata().getName() + "-pod")
        .withNamespace(namespace)
        .withLabels(template.getMetadata().getLabels())
        .withAnnotations(template.getMetadata().getAnnotations())
        .endMetadata()
        .withSpec(template.getSpec())
        .build();
  }

  @Test
  void helmInstallRejectsAValueOfTheWrongType() {
    String ns = TestCluster.newNamespace(admin, "wrong-type");
    assertThatThrownBy(() -> Installation.install(admin, ns, Map.of("reconcileThreads", "many")))
        .hasMessageContaining("reconcileThreads")
        .hasMessageContaining("integer");
    assertThat(admin.apps().deployments().inNamespace(ns).list().getItems())
        .as("nothing installed")
        .isEmpty();
  }

  private static void assertForbidden(ThrowingCallable call, String what) {
    assertThatThrownBy(call)
        .as(what)
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).as(what).isEqualTo(403));
  }

  private void setVersion(String v) {
    Fixtures.patch(
        admin,
        appNs,
        "fraud",
        "{\"spec\":{\"model\":{\"version\":\""
            + v
            + "\",\"uri\":\"s3://models/fraud/"
            + v
            + "\"}}}");
  }

  private ModelDeployment awaitMd(Predicate<ModelDeployment> p) {
    return awaitMd("fraud", p);
  }

  private ModelDeployment awaitMd(String name, Predicate<ModelDeployment> p) {
    return await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> admin.resources(ModelDeployment.class).inNamespace(appNs).withName(name).get(),
            m -> m != null && m.getStatus() != null && p.test(m));
  }

  private java.util.List<String> reasons() {
    return admin.v1().events().inNamespace(appNs).list().getItems().stream()
        .map(io.fabric8.kubernetes.api.model.Event::getReason)
        .toList();
  }
}
