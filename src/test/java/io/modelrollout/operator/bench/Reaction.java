package io.modelrollout.operator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.RolloutPolicy;
import io.modelrollout.operator.api.TrafficProvider;
import io.modelrollout.operator.testing.Fixtures;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How fast a bad canary loses its traffic: a gate with a 1 s interval on a Prometheus scraping
 * every second; the exporter flips the canary's error rate; measured from the first Prometheus
 * sample that breaches to the moment the HTTPRoute no longer sends the canary anything.
 */
final class Reaction {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Bench b;

  Reaction(Bench b) {
    this.b = b;
  }

  void run(int rounds) throws Exception {
    b.section("Reaction to a failing gate");
    String ns = b.namespace("reaction");
    RolloutPolicy p = b.policy(ns, "watched", CanaryStep.weight(50), CanaryStep.analysis("errors"));
    p.getSpec().gates.add(Bench.errorsGate(1000));
    b.admin.resource(p).create();
    var md = Bench.model(ns, "react", "watched", TrafficProvider.GatewayAPI);
    md.getSpec().model.name = "react";
    b.admin.resource(md).create();
    b.await(ns, 1, Duration.ofMinutes(2), m -> Bench.healthyAt(m, "1.0.0"));
    AtomicLong zeroAt = new AtomicLong();
    SharedIndexInformer<HTTPRoute> watch =
        b.admin
            .resources(HTTPRoute.class)
            .inNamespace(ns)
            .withName("react")
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(HTTPRoute r) {}

                  @Override
                  public void onUpdate(HTTPRoute old, HTTPRoute r) {
                    if (canary(old) > 0 && canary(r) == 0) {
                      zeroAt.set(System.currentTimeMillis());
                    }
                  }

                  @Override
                  public void onDelete(HTTPRoute r, boolean unknown) {}
                });
    List<Double> reactions = new ArrayList<>();
    try {
      for (int k = 0; k < rounds; k++) {
        String version = "2." + k + ".0";
        String series = "model_errors{model=\"react\",version=\"" + version + "\"}";
        b.publish(series, 0.0);
        Fixtures.patch(
            b.admin, ns, "react", "{\"spec\":{\"model\":{\"version\":\"" + version + "\"}}}");
        long until = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (canary(Bench.route(b.admin, ns, "react")) != 50 && System.nanoTime() < until) {
          Thread.sleep(100);
        }
        Thread.sleep(2000); // the gate measures good values for a while
        zeroAt.set(0);
        long flip = System.currentTimeMillis();
        b.exporter.set(series, 0.9);
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (zeroAt.get() == 0 && System.nanoTime() < end) {
          Thread.sleep(20);
        }
        if (zeroAt.get() == 0) {
          throw new IllegalStateException("round " + k + ": the canary kept its traffic");
        }
        double breach = firstBreach(series, flip);
        double reaction = (zeroAt.get() - breach * 1000) / 1000.0;
        reactions.add(reaction);
        Bench.say(
            "round %d: route off the canary %.2f s after the first breaching sample", k, reaction);
        b.await(ns, 1, Duration.ofMinutes(1), m -> m.getStatus().canary == null);
      }
    } finally {
      watch.close();
    }
    double p95 = Bench.percentile(reactions, 95);
    b.report.append(
        String.format(
            "%d rollouts, gate interval 1 s, Prometheus scrape interval 1 s, Gateway API route:"
                + " from the first Prometheus sample that breaches to the HTTPRoute without"
                + " the canary: p50 %.2f s, p95 %.2f s, max %.2f s.%n",
            reactions.size(),
            Bench.percentile(reactions, 50),
            p95,
            Bench.percentile(reactions, 100)));
    b.verdict(p95 <= 2.0, "rollback reaction p95 <= gate interval + 1 s: %.2f s", p95);
  }

  /** The time (epoch seconds) of the first sample of {@code series} at 0.9 after {@code flip}. */
  private double firstBreach(String series, long flip) throws Exception {
    String q = URLEncoder.encode(series + "[2m]", StandardCharsets.UTF_8);
    JsonNode r = JSON.readTree(Bench.get(b.prometheus.address() + "/api/v1/query?query=" + q));
    for (JsonNode v : r.path("data").path("result").get(0).path("values")) {
      double ts = v.get(0).asDouble();
      if (ts * 1000 >= flip - 1000 && Double.parseDouble(v.get(1).asText()) >= 0.9) {
        return ts;
      }
    }
    throw new IllegalStateException("no breaching sample of " + series);
  }

  private static int canary(HTTPRoute r) {
    if (r == null) {
      return 0;
    }
    for (var rule : r.getSpec().getRules()) {
      if ("modelrollout-primary".equals(rule.getName())) {
        for (var x : rule.getBackendRefs()) {
          if (x.getName().endsWith("-canary")) {
            return x.getWeight();
          }
        }
      }
    }
    return 0;
  }
}
