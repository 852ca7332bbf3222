package io.modelrollout.operator.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.TrafficProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;

/**
 * What the API server pays to admit a ModelDeployment (its schema with the embedded pod template,
 * its CEL rules) against a Deployment of the same pod template: N server-side applies of each, 16
 * at a time, before the operator runs, so nothing else writes meanwhile.
 */
final class Admission {
  private final Bench b;

  Admission(Bench b) {
    this.b = b;
  }

  void run(int n) throws Exception {
    b.section("Admission: " + n + " server-side applies of each kind, 16 at a time, no operator");
    b.report.append("| round | kind | wall time | per apply p50 / p95 |\n|---|---|---|---|\n");
    for (int round = 1; round <= 2; round++) { // the first round warms the API server up
      row(round, "ModelDeployment", n, Admission::model);
      row(round, "Deployment (same pod template, 0 replicas)", n, this::deployment);
    }
    b.report.append(
        "\nThe second round is the one to compare: the first includes the API server's warm-up"
            + " (its first objects of a kind, the CEL programs' first runs).\n");
  }

  private void row(int round, String kind, int n, IntFunction<HasMetadata> object)
      throws Exception {
    String ns = b.namespace("admit");
    List<Double> each = new CopyOnWriteArrayList<>();
    long t0 = System.nanoTime();
    Bench.parallel(
        n,
        i -> {
          HasMetadata o = object.apply(i + 1);
          o.getMetadata().setNamespace(ns);
          long s = System.nanoTime();
          b.admin.resource(o).fieldManager("bench").forceConflicts().serverSideApply();
          each.add((System.nanoTime() - s) / 1e6);
        });
    double wall = (System.nanoTime() - t0) / 1e9;
    b.report.append(
        String.format(
            "| %d | %s | %.2f s | %.0f / %.0f ms |%n",
            round, kind, wall, Bench.percentile(each, 50), Bench.percentile(each, 95)));
    Bench.say("admission round %d, %s: %.2f s for %d", round, kind, wall, n);
    b.admin.namespaces().withName(ns).delete();
    long gone = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (b.admin.namespaces().withName(ns).get() != null && System.nanoTime() < gone) {
      Thread.sleep(500);
    }
  }

  private static ModelDeployment model(int i) {
    return Bench.model("x", "a-" + i, "admit", TrafficProvider.ReplicaRatio);
  }

  private HasMetadata deployment(int i) {
    ModelDeployment md = model(i);
    PodTemplateSpec template =
        Serialization.clone(md.getSpec().template); // the ModelDeployment's own pod template
    Map<String, String> labels = Map.of("app.kubernetes.io/name", "a-" + i);
    template.getMetadata().getLabels().putAll(labels);
    Deployment d =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName("a-" + i)
            .endMetadata()
            .withNewSpec()
            .withReplicas(0)
            .withNewSelector()
            .withMatchLabels(labels)
            .endSelector()
            .withTemplate(template)
            .endSpec()
            .build();
    return d;
  }
}
