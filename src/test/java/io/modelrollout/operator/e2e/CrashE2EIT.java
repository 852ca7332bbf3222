package io.modelrollout.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.HistoryEntry.Outcome;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.RolloutPolicy;
import io.modelrollout.operator.e2e.OperatorWrites.Write;
import io.modelrollout.operator.install.OperatorProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * SIGKILL mid-step: the operator dies during a pause and during an analysis and starts again; the
 * rollout goes on at the same step with the same timer and the gate counters last written (those
 * held back by the status flush interval are measured again), no step is skipped or repeated, and
 * the route is written once per weight change, never by a process that is not ready.
 */
class CrashE2EIT extends E2EBase {
  /**
   * Gate counters reach status every 3 s (the default 10 s would write this 8 s analysis with its
   * verdict only): the kill comes after some were written and before the verdict.
   */
  static final Map<String, String> FLUSH = Map.of("MRO_STATUS_FLUSH_INTERVAL", "3s");

  static final Duration PAUSE = Duration.ofSeconds(15);

  /**
   * How late a step may start after its timer ran out: a reconcile rescheduled at the deadline on a
   * busy 2-core machine.
   */
  static final Duration LATE = Duration.ofSeconds(4);

  /**
   * How long the killed operator stays down, as a pod rescheduled elsewhere: longer than {@link
   * #LATE}, so a pause that restarted on the new process could not pass for one that went on.
   */
  static final Duration DOWN = Duration.ofSeconds(5);

  static final String ANALYSIS = "analysis errors";

  @Test
  void aKilledOperatorResumesAtTheSameStepWithTheSameCounters() throws Exception {
    String ns = cluster.newNamespace("e2e-crash");
    RolloutPolicy p =
        canaryPolicy(
            ns,
            "steps",
            CanaryStep.weight(20),
            CanaryStep.pause(PAUSE.toSeconds() + "s"),
            CanaryStep.analysis("errors"),
            CanaryStep.weight(60),
            CanaryStep.pause("3s"));
    p.getSpec().gates.get(0).count = 4;
    p.getSpec().gates.get(0).interval = "2s";
    admin.resource(p).create();
    AtomicReference<OperatorProcess> operator = new AtomicReference<>();
    try (E2EReport.Scenario report =
            E2EReport.start(
                "SIGKILL during a pause and during an analysis",
                () -> operator.get() == null ? -1 : operator.get().peakRssMiB());
        RouteLog routes = new RouteLog(admin, ns, "fraud");
        StatusLog statuses = new StatusLog(admin, ns, "fraud")) {
      admin.resource(routed(ns, "fraud", "steps", 2)).create();
      errors("fraud", "2.0.0", 0.001);
      operator.set(operator("crash-1", null, FLUSH));
      awaitMd(ns, "fraud", Duration.ofSeconds(60), m -> m.getStatus().phase == Phase.Healthy);
      version(ns, "fraud", "2.0.0");

      // killed during the pause: the pause keeps its start, and ends when it was due to
      String pause = "pause " + PAUSE.toSeconds() + "s";
      awaitMd(ns, "fraud", Duration.ofSeconds(60), m -> pause.equals(m.getStatus().currentStep));
      // its event leaves after the status, off the reconcile thread; a kill before it is sent
      // loses it (README, Scale), which is not what this scenario is about
      eventually(
          ns,
          "StepAdvanced",
          es -> assertThat(es).anyMatch(e -> e.getMessage().endsWith(": " + pause)));
      report.rss(operator.get().peakRssMiB());
      operator.get().kill();
      Instant killed = Instant.now();
      ModelDeployment atKill = md(ns, "fraud"); // the dead process's last word
      assertThat(atKill.getStatus().currentStep).isEqualTo(pause);
      Instant pauseStarted = Instant.parse(atKill.getStatus().stepStartedAt);
      Thread.sleep(DOWN.toMillis()); // the fault: no operator at all for a while
      operator.set(operator("crash-2", null, FLUSH));
      Instant ready = Instant.now();
      ModelDeployment next =
          awaitMd(
              ns,
              "fraud",
              Duration.ofSeconds(60),
              m -> m.getStatus().currentStepIndex != null && m.getStatus().currentStepIndex > 1);
      assertThat(next.getStatus().currentStep).as("the step after the pause").isEqualTo(ANALYSIS);
      Duration paused =
          Duration.between(pauseStarted, Instant.parse(next.getStatus().stepStartedAt));
      Duration back = Duration.between(pauseStarted, ready);
      System.out.printf(
          "[e2e] pause of %d s: killed %.1f s in, operator ready again %.1f s in, next step"
              + " after %.1f s%n",
          PAUSE.toSeconds(),
          Duration.between(pauseStarted, killed).toMillis() / 1e3,
          back.toMillis() / 1e3,
          paused.toMillis() / 1e3);
      // a pause restarted by the new process would last at least back + PAUSE
      assertThat(paused)
          .as("the pause ran its %s from its first start, across the restart", PAUSE)
          .isGreaterThanOrEqualTo(PAUSE.minusMillis(500))
          .isLessThan((back.compareTo(PAUSE) > 0 ? back : PAUSE).plus(LATE));
      for (ModelDeployment m : statuses.after(atKill.getMetadata().getResourceVersion())) {
        if (pause.equals(m.getStatus().currentStep)) {
          assertThat(m.getStatus().stepStartedAt)
              .as("the pause is never restarted, not even for one status write")
              .isEqualTo(atKill.getStatus().stepStartedAt);
        }
      }
      List<Write> afterPauseKill =
          OperatorWrites.between(writes(ns), killed, Instant.parse(next.getStatus().stepStartedAt));
      assertThat(afterPauseKill)
          .as("neither the dead process nor its successor touches a route or a Service mid-pause")
          .isEmpty();

      // killed during the analysis: the counters go on from the last ones written
      awaitMd(
          ns,
          "fraud",
          Duration.ofSeconds(60),
          m -> ANALYSIS.equals(m.getStatus().currentStep) && successes(m) >= 2);
      report.rss(operator.get().peakRssMiB());
      operator.get().kill();
      Instant killed2 = Instant.now();
      ModelDeployment atKill2 = md(ns, "fraud");
      int written = successes(atKill2);
      String analysisStarted = atKill2.getStatus().stepStartedAt;
      assertThat(atKill2.getStatus().currentStep).isEqualTo(ANALYSIS);
      operator.set(operator("crash-3", null, FLUSH));
      Instant ready2 = Instant.now();
      ModelDeployment done =
          awaitMd(
              ns,
              "fraud",
              Duration.ofSeconds(60),
              m -> m.getStatus().canary == null && "2.0.0".equals(m.getStatus().stable.version));
      // the README: up to one flush interval of counts may be lost and measured again; what was
      // written is the floor the successor starts from
      List<Integer> seen = new java.util.ArrayList<>();
      for (ModelDeployment m : statuses.after(atKill2.getMetadata().getResourceVersion())) {
        if (ANALYSIS.equals(m.getStatus().currentStep)) {
          seen.add(successes(m));
          assertThat(m.getStatus().stepStartedAt)
              .as("the analysis is not restarted")
              .isEqualTo(analysisStarted);
          assertThat(successes(m))
              .as("successes never drop below the %d written before the kill", written)
              .isGreaterThanOrEqualTo(written);
        }
      }
      System.out.printf(
          "[e2e] analysis: %d successes written before the kill, then %s%n", written, seen);

      assertThat(done.getStatus().history.get(0).outcome).isEqualTo(Outcome.Promoted);
      assertThat(done.getStatus().history.get(0).reason).isEqualTo("completed 5 steps");
      List<Integer> weights = routes.weights();
      assertThat(weights)
          .as("from rest, through the steps, to rest")
          .startsWith(0, 20)
          .endsWith(100, 0)
          .contains(60);
      assertThat(weights.subList(1, weights.size() - 1))
          .as("no step repeated, no flapping: the weight only rises (%s)", weights)
          .isSorted()
          .doesNotHaveDuplicates();

      // every write, from the audit log: one per weight change, none while no process was ready
      List<Write> all = writes(ns);
      System.out.println("[e2e] operator writes of routes and Services:\n" + all);
      List<Write> routeWrites =
          all.stream().filter(w -> w.resource().equals("httproutes")).toList();
      assertThat(routeWrites)
          .as("one route write per weight change %s (%d versions seen)", weights, routes.versions())
          .hasSize(weights.size());
      assertThat(OperatorWrites.between(all, killed, ready))
          .as("no write between the first kill and the next operator being ready")
          .isEmpty();
      assertThat(OperatorWrites.between(all, killed2, ready2))
          .as("no write between the second kill and the next operator being ready")
          .isEmpty();

      eventually(ns, "RolloutStarted", es -> assertThat(es).hasSize(1));
      eventually(ns, "StepAdvanced", es -> assertThat(es).as("one per step").hasSize(5));
      eventually(ns, "GatePassed", es -> assertThat(es).hasSize(1));
      report.passed();
    } finally {
      if (operator.get() != null) {
        operator.get().close();
      }
    }
  }

  /** The chart ServiceAccount's writes of routes and Services in {@code ns}. */
  private static List<Write> writes(String ns) throws Exception {
    return OperatorWrites.of(
        cluster, cluster.chart.serviceAccount, ns, Set.of("httproutes", "services"));
  }

  private static int successes(ModelDeployment m) {
    return m.getStatus().gates.stream()
        .filter(g -> "errors".equals(g.name))
        .map(g -> g.successes == null ? 0 : g.successes)
        .findFirst()
        .orElse(0);
  }
}
