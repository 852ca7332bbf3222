package io.modelrollout.operator.testing;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelrollout.operator.analysis.MetricProvider;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.controller.OperatorSettings;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * What an API-server test of the operator stands on: a client, a fresh namespace, the fake
 * Deployment controller, the operator watching that namespace, and helpers to read the result.
 */
public final class Scenario implements AutoCloseable {
  public final KubernetesClient client;
  public final String ns;
  public final FakeDeploymentController pods;
  public final OperatorHarness operator;
  private boolean operatorStopped;

  private Scenario(String prefix, OperatorSettings settings, MetricProvider provider) {
    client = TestCluster.client();
    ns = TestCluster.newNamespace(client, prefix);
    pods = new FakeDeploymentController(client, ns);
    operator =
        settings == null
            ? OperatorHarness.start(ns, provider)
            : OperatorHarness.start(ns, settings, provider);
  }

  public static Scenario start(String prefix, MetricProvider provider) {
    return new Scenario(prefix, null, provider);
  }

  public static Scenario start(String prefix, OperatorSettings settings, MetricProvider provider) {
    return new Scenario(prefix, settings, provider);
  }

  public ModelDeployment md(String name) {
    return client.resources(ModelDeployment.class).inNamespace(ns).withName(name).get();
  }

  /** Waits (up to a minute) until the ModelDeployment has a status that satisfies {@code p}. */
  public ModelDeployment awaitMd(String name, Predicate<ModelDeployment> p) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> md(name), m -> m != null && m.getStatus() != null && p.test(m));
  }

  /** Merge-patches a ModelDeployment, as kubectl patch does. */
  public void patch(String name, String json) {
    Fixtures.patch(client, ns, name, json);
  }

  /** The events of one reason, once the operator sent all it emitted so far. */
  public List<Event> events(String reason) {
    if (!operatorStopped) {
      operator.flushEvents();
    }
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }

  /** Stops the operator before the scenario ends (close() then leaves it). */
  public void stopOperator() {
    if (!operatorStopped) {
      operatorStopped = true;
      operator.close();
    }
  }

  @Override
  public void close() {
    stopOperator();
    pods.close();
    client.close();
  }
}
