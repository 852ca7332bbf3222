package io.modelrollout.operator.e2e;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.GateSpec;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.RolloutPolicy;
import io.modelrollout.operator.api.TrafficProvider;
import io.modelrollout.operator.api.TrafficSpec;
import io.modelrollout.operator.install.OperatorProcess;
import io.modelrollout.operator.testing.Fixtures;
import io.modelrollout.operator.testing.TestExporter;
import io.modelrollout.operator.testing.TestPrometheus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * What the end-to-end scenarios stand on: the full cluster, a real Prometheus scraping the test
 * exporter (model metrics per version), and helpers that read what the cluster shows.
 */
abstract class E2EBase {
  static final String ERRORS = "model_errors{model=\"{{model}}\",version=\"{{version}}\"}";
  static FullCluster cluster;
  static KubernetesClient admin;
  static TestExporter exporter;
  static TestPrometheus prometheus;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = FullCluster.get();
    admin = cluster.admin();
    exporter = new TestExporter();
    prometheus = TestPrometheus.start(exporter.target());
  }

  @AfterAll
  static void stopCluster() throws Exception {
    prometheus.close();
    exporter.close();
    admin.close();
  }

  /** The operator as a process, with the chart's permissions, gates against the Prometheus. */
  static OperatorProcess operator(String name, String account) throws Exception {
    return operator(name, account, Map.of());
  }

  static OperatorProcess operator(String name, String account, Map<String, String> more)
      throws Exception {
    Map<String, String> env = new java.util.LinkedHashMap<>();
    env.put("MRO_PROMETHEUS_ADDRESS", prometheus.address());
    env.put("MRO_PROMETHEUS_TIMEOUT", "2s");
    env.putAll(more);
    return Operators.start(cluster, account, name, env);
  }

  /** Sets the error ratio a version reports, and waits until Prometheus has it. */
  static void errors(String model, String version, double value) {
    String series = "model_errors{model=\"" + model + "\",version=\"" + version + "\"}";
    exporter.set(series, value);
    var provider = new io.modelrollout.operator.analysis.prometheus.PrometheusProvider();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                provider.query(
                            io.modelrollout.operator.analysis.QueryTarget.plain(
                                prometheus.address(), Duration.ofSeconds(2)),
                            series)
                        instanceof io.modelrollout.operator.analysis.Measurement.Value v
                    && v.value() == value);
  }

  static RolloutPolicy canaryPolicy(String ns, String name, CanaryStep... steps) {
    RolloutPolicy p = Fixtures.canaryPolicy(ns, name, 1, steps);
    GateSpec g = Fixtures.gate("errors", ERRORS, 0.01);
    g.count = 2;
    p.getSpec().gates.add(g);
    p.getSpec().progressDeadline = "2m";
    return p;
  }

  /** A ModelDeployment behind a Gateway API HTTPRoute. */
  static ModelDeployment routed(String ns, String name, String policy, int replicas) {
    ModelDeployment md = Fixtures.withPolicy(Fixtures.model(ns, name, "1.0.0", replicas), policy);
    md.getSpec().model.name = name;
    md.getSpec().traffic = new TrafficSpec();
    md.getSpec().traffic.provider = TrafficProvider.GatewayAPI;
    md.getSpec().traffic.gatewayAPI = new TrafficSpec.GatewayApi();
    TrafficSpec.ParentRef p = new TrafficSpec.ParentRef();
    p.name = "gateway";
    md.getSpec().traffic.gatewayAPI.parentRefs = List.of(p);
    return md;
  }

  static ModelDeployment md(String ns, String name) {
    return admin.resources(ModelDeployment.class).inNamespace(ns).withName(name).get();
  }

  static ModelDeployment awaitMd(
      String ns, String name, Duration atMost, Predicate<ModelDeployment> p) {
    return await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> md(ns, name), m -> m != null && m.getStatus() != null && p.test(m));
  }

  static void patch(String ns, String name, String json) {
    Fixtures.patch(admin, ns, name, json);
  }

  static void version(String ns, String name, String version) {
    patch(ns, name, "{\"spec\":{\"model\":{\"version\":\"" + version + "\"}}}");
  }

  static void action(String ns, String name, String action) {
    patch(
        ns,
        name,
        "{\"metadata\":{\"annotations\":{\"modelrollout.io/action\":\"" + action + "\"}}}");
  }

  static List<Event> events(String ns, String reason) {
    return admin.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }

  /** Asserts on the events of one reason once they are there: events follow the status write. */
  static void eventually(String ns, String reason, Consumer<List<Event>> check) {
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> check.accept(events(ns, reason)));
  }

  /**
   * Waits until the EndpointSlices of {@code service} send traffic to exactly the pods of {@code
   * revision}: the EndpointSlice controller follows pod readiness a moment after the status does.
   */
  static void awaitEndpoints(String ns, String service, String revision) {
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () ->
                org.assertj.core.api.Assertions.assertThat(endpoints(ns, service))
                    .isNotEmpty()
                    .isEqualTo(podIps(ns, revision)));
  }

  static HTTPRoute route(String ns, String name) {
    return admin.resources(HTTPRoute.class).inNamespace(ns).withName(name).get();
  }

  /** The pod IPs an EndpointSlice of Service {@code service} sends traffic to. */
  static List<String> endpoints(String ns, String service) {
    return admin
        .discovery()
        .v1()
        .endpointSlices()
        .inNamespace(ns)
        .withLabel("kubernetes.io/service-name", service)
        .list()
        .getItems()
        .stream()
        .flatMap(
            s ->
                s.getEndpoints() == null
                    ? java.util.stream.Stream.empty()
                    : s.getEndpoints().stream())
        .filter(
            e -> e.getConditions() == null || !Boolean.FALSE.equals(e.getConditions().getReady()))
        .flatMap(e -> e.getAddresses().stream())
        .sorted()
        .toList();
  }

  /** The IPs of the ready pods of one revision. */
  static List<String> podIps(String ns, String revision) {
    return admin
        .pods()
        .inNamespace(ns)
        .withLabel("modelrollout.io/revision", revision)
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getStatus() != null && p.getStatus().getPodIP() != null)
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .map(p -> p.getStatus().getPodIP())
        .sorted()
        .toList();
  }
}
