package io.modelrollout.operator.bench;

import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.TrafficProvider;
import io.modelrollout.operator.testing.Fixtures;
import java.time.Duration;

/**
 * Runs the freshly started operator through a small burst first (create, roll out, delete), as in a
 * cluster where it has been running: its classes are loaded and its code compiled before the
 * measured bursts, whose figures are then the operator's work and not its start. The time a start
 * takes is measured apart (the restart rows).
 */
final class Warmup {
  private final Bench b;

  Warmup(Bench b) {
    this.b = b;
  }

  /** Returns the seconds the warm-up took. */
  double run(int n) throws Exception {
    long t0 = System.nanoTime();
    String ns = b.namespace("warmup");
    b.admin
        .resource(b.policy(ns, "two-step", CanaryStep.weight(50), CanaryStep.pause("1s")))
        .create();
    Bench.parallel(
        n,
        i ->
            b.admin
                .resource(Bench.model(ns, "w-" + i, "two-step", TrafficProvider.ReplicaRatio))
                .create());
    b.await(ns, n, Duration.ofMinutes(5), m -> Bench.healthyAt(m, "1.0.0"));
    Bench.parallel(
        n,
        i ->
            Fixtures.patch(
                b.admin, ns, "w-" + i, "{\"spec\":{\"model\":{\"version\":\"2.0.0\"}}}"));
    b.await(ns, n, Duration.ofMinutes(5), m -> Bench.healthyAt(m, "2.0.0"));
    // the ModelDeployments first (their pods with them), then the namespace and the policy
    b.admin.resources(io.modelrollout.operator.api.ModelDeployment.class).inNamespace(ns).delete();
    while (!b.list(ns).isEmpty() && System.nanoTime() - t0 < Duration.ofMinutes(5).toNanos()) {
      Thread.sleep(500);
    }
    b.admin.namespaces().withName(ns).delete();
    long gone = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (b.admin.namespaces().withName(ns).get() != null && System.nanoTime() < gone) {
      Thread.sleep(500);
    }
    double took = (System.nanoTime() - t0) / 1e9;
    Bench.say(
        "operator warm-up: %d ModelDeployments created, rolled out, deleted in %.1f s", n, took);
    return took;
  }
}
