package io.modelrollout.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.RolloutPolicy;
import io.modelrollout.operator.api.TrafficProvider;
import io.modelrollout.operator.api.TrafficSpec;
import io.modelrollout.operator.rollout.Capacity;
import io.modelrollout.operator.testing.Fixtures;
import io.modelrollout.operator.testing.Scenario;
import io.modelrollout.operator.testing.ScriptedMetrics;
import io.modelrollout.operator.testing.TestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Capacity on the real API server with pods that become ready one at a time: sampled every 50 ms
 * through a whole canary without surge (maxSurge 0, maxUnavailable 1), the route never sends
 * traffic to a side without the ready pods its weight needs, stable and canary never ask for more
 * than replicas + maxSurge pods, and their ready pods never drop below replicas - maxUnavailable.
 */
class CapacityIT {
  static final int N = 4;
  static final Capacity RULES = new Capacity(N, 0, 1, false);
  Scenario scenario;
  KubernetesClient client;
  String ns;
  final ScriptedMetrics metrics = new ScriptedMetrics().answer("errors", 0.0);
  final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  final List<String> samples = Collections.synchronizedList(new ArrayList<>());
  ScheduledExecutorService sampler;

  @BeforeEach
  void setUp() {
    TestCluster.installRouteCrds();
    scenario = Scenario.start("capacity", metrics);
    client = scenario.client;
    ns = scenario.ns;
    RolloutPolicy policy =
        Fixtures.canaryPolicy(
            ns,
            "gpu",
            0,
            CanaryStep.weight(25),
            CanaryStep.analysis("errors"),
            CanaryStep.weight(60),
            CanaryStep.weight(90));
    policy.getSpec().gates.add(Fixtures.gate("errors", "errors{v=\"{{version}}\"}", 0.01));
    policy.getSpec().progressDeadline = "2m";
    client.resource(policy).create();
    ModelDeployment md = Fixtures.withPolicy(Fixtures.model(ns, "fraud", "1.0.0", N), "gpu");
    md.getSpec().traffic = new TrafficSpec();
    md.getSpec().traffic.provider = TrafficProvider.GatewayAPI;
    md.getSpec().traffic.gatewayAPI = new TrafficSpec.GatewayApi();
    TrafficSpec.ParentRef p = new TrafficSpec.ParentRef();
    p.name = "gateway";
    md.getSpec().traffic.gatewayAPI.parentRefs = List.of(p);
    client.resource(md).create();
    scenario.awaitMd("fraud", m -> m.getStatus().phase == Phase.Healthy);
    scenario.pods.delayAll(Duration.ofMillis(400));
  }

  @AfterEach
  void tearDown() {
    if (sampler != null) {
      sampler.shutdownNow();
    }
    scenario.close();
  }

  @Test
  void aCanaryWithoutSurgeNeverRoutesBeyondTheReadyPods() throws Exception {
    sampler = Executors.newSingleThreadScheduledExecutor();
    sampler.scheduleWithFixedDelay(this::sample, 0, 50, TimeUnit.MILLISECONDS);
    scenario.patch("fraud", "{\"spec\":{\"model\":{\"version\":\"2.0.0\"}}}");
    ModelDeployment done =
        await()
            .atMost(Duration.ofSeconds(90))
            .until(
                () -> scenario.md("fraud"),
                m ->
                    m.getStatus().canary == null
                        && "2.0.0".equals(m.getStatus().stable.version)
                        && m.getStatus().phase == Phase.Healthy);
    sampler.shutdown();
    sampler.awaitTermination(5, TimeUnit.SECONDS);
    assertThat(done.getStatus().history.get(0).reason).isEqualTo("completed 4 steps");
    assertThat(samples).as("the rollout was watched").hasSizeGreaterThan(20);
    assertThat(samples.stream().map(s -> s.split(" ")[0]).distinct())
        .as("weights seen on the route")
        .contains("w=25", "w=60");
    assertThat(violations).isEmpty();
  }

  /** Reads Deployments first, then the route: a route older than the pods is never checked. */
  private void sample() {
    try {
      Map<String, Deployment> byRevision =
          client.apps().deployments().inNamespace(ns).list().getItems().stream()
              .collect(
                  Collectors.toMap(
                      d -> d.getMetadata().getLabels().get("modelrollout.io/revision"), d -> d));
      HTTPRoute route = client.resources(HTTPRoute.class).inNamespace(ns).withName("fraud").get();
      ModelDeploymentStatus st = scenario.md("fraud").getStatus();
      if (route == null || st == null || st.canary == null || st.phase == Phase.RolledBack) {
        return;
      }
      int weight = 0;
      for (var rule : route.getSpec().getRules()) {
        if ("modelrollout-primary".equals(rule.getName())) {
          for (var b : rule.getBackendRefs()) {
            if (b.getName().equals("fraud-canary")) weight = b.getWeight();
          }
        }
      }
      int stableReady = ready(byRevision.get(st.stable.revision));
      int canaryReady = ready(byRevision.get(st.canary.revision));
      int asked =
          replicas(byRevision.get(st.stable.revision))
              + replicas(byRevision.get(st.canary.revision));
      String sample =
          "w=" + weight + " stable=" + stableReady + " canary=" + canaryReady + " asked=" + asked;
      samples.add(sample);
      if (weight > 0 && canaryReady < RULES.minReady(weight)) {
        violations.add("canary short: " + sample);
      }
      if (weight < 100 && stableReady < RULES.minReady(100 - weight)) {
        violations.add("stable short: " + sample);
      }
      if (asked > N) {
        violations.add("beyond maxSurge: " + sample);
      }
      if (stableReady + canaryReady < N - 1) {
        violations.add("below replicas - maxUnavailable: " + sample);
      }
    } catch (RuntimeException e) {
      // a sample lost to a racing delete; the next one counts
    }
  }

  private static int ready(Deployment d) {
    return d == null || d.getStatus() == null || d.getStatus().getReadyReplicas() == null
        ? 0
        : Math.min(d.getStatus().getReadyReplicas(), replicas(d));
  }

  private static int replicas(Deployment d) {
    return d == null || d.getSpec().getReplicas() == null ? 0 : d.getSpec().getReplicas();
  }
}
