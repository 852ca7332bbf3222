package io.modelrollout.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelrollout.operator.analysis.Measurement;
import io.modelrollout.operator.analysis.MetricProvider;
import io.modelrollout.operator.analysis.QueryTarget;
import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.RolloutPolicy;
import io.modelrollout.operator.controller.OperatorSettings;
import io.modelrollout.operator.testing.FakeDeploymentController;
import io.modelrollout.operator.testing.Fixtures;
import io.modelrollout.operator.testing.OperatorHarness;
import io.modelrollout.operator.testing.TestCluster;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Gate queries never hold a reconcile thread. With two reconcile threads, three ModelDeployments
 * whose Prometheus hangs for its whole timeout (a minute) and 47 whose Prometheus answers, the 47
 * are all promoted while the three queries still hang; then those answer too.
 */
class GatesOffReconcileThreadsIT {
  static final int FAST = 47;
  static final int SLOW = 3;
  KubernetesClient client;
  String ns;
  FakeDeploymentController pods;
  OperatorHarness operator;
  final CountDownLatch release = new CountDownLatch(1);
  final AtomicInteger hanging = new AtomicInteger();

  /**
   * Answers 0 at once, except for slow models: then it hangs like an HTTP client, up to its
   * timeout.
   */
  final MetricProvider prometheus =
      new MetricProvider() {
        @Override
        public Measurement query(QueryTarget target, String query) {
          if (query.contains("slow-")) {
            hanging.incrementAndGet();
            try {
              if (!release.await(target.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                return new Measurement.Error(Measurement.ErrorKind.TIMEOUT, "timed out", query);
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            } finally {
              hanging.decrementAndGet();
            }
          }
          return new Measurement.Value(0.0, query);
        }
      };

  @BeforeEach
  void setUp() {
    client = TestCluster.client();
    ns = TestCluster.newNamespace(client, "hang");
    pods = new FakeDeploymentController(client, ns);
    operator =
        OperatorHarness.start(
            ns,
            new OperatorSettings("http://prometheus.invalid:9090", Duration.ofSeconds(60), 8),
            prometheus,
            2);
    for (String name : new String[] {"fast", "slow"}) {
      RolloutPolicy p =
          Fixtures.canaryPolicy(ns, name, 1, CanaryStep.weight(50), CanaryStep.analysis("errors"));
      p.getSpec().gates.add(Fixtures.gate("errors", "errors{m=\"{{name}}\"}", 0.01));
      p.getSpec().gates.get(0).count = 1;
      client.resource(p).create();
    }
    for (int i = 0; i < FAST + SLOW; i++) {
      String name = i < FAST ? "fast-" + i : "slow-" + i;
      client
          .resource(Fixtures.withPolicy(Fixtures.model(ns, name, "1.0.0", 1), name.split("-")[0]))
          .create();
    }
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                count(m -> m.getStatus() != null && m.getStatus().phase == Phase.Healthy)
                    == FAST + SLOW);
  }

  @AfterEach
  void tearDown() {
    release.countDown();
    operator.close();
    pods.close();
    client.close();
  }

  @Test
  void aHangingPrometheusHoldsNoReconcileThread() {
    client
        .resources(ModelDeployment.class)
        .inNamespace(ns)
        .list()
        .getItems()
        .forEach(
            m ->
                Fixtures.patch(
                    client,
                    ns,
                    m.getMetadata().getName(),
                    "{\"spec\":{\"model\":{\"version\":\"2.0.0\"}}}"));
    await()
        .atMost(Duration.ofSeconds(55))
        .until(
            () -> count(m -> m.getMetadata().getName().startsWith("fast-") && promoted(m)) == FAST);
    assertThat(hanging.get()).as("the slow queries still hang").isEqualTo(SLOW);
    assertThat(count(m -> m.getMetadata().getName().startsWith("slow-") && promoted(m))).isZero();
    release.countDown();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> count(GatesOffReconcileThreadsIT::promoted) == FAST + SLOW);
  }

  private static boolean promoted(ModelDeployment m) {
    return m.getStatus() != null
        && m.getStatus().canary == null
        && "2.0.0".equals(m.getStatus().stable.version);
  }

  private long count(java.util.function.Predicate<ModelDeployment> p) {
    return client.resources(ModelDeployment.class).inNamespace(ns).list().getItems().stream()
        .filter(p)
        .count();
  }
}
