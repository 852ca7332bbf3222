package io.modelrollout.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelrollout.operator.analysis.GateRunner;
import io.modelrollout.operator.analysis.Measurement;
import io.modelrollout.operator.analysis.MetricProvider;
import io.modelrollout.operator.analysis.QueryTarget;
import io.modelrollout.operator.api.BatchSpec;
import io.modelrollout.operator.api.BatchStatus.Outcome;
import io.modelrollout.operator.api.DeploymentMode;
import io.modelrollout.operator.api.GateSpec;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.api.RevisionStatus;
import io.modelrollout.operator.api.RolloutPolicySpec;
import io.modelrollout.operator.status.EventSpec;
import io.modelrollout.operator.status.ModeStatus;
import io.modelrollout.operator.status.StatusEvents;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A simulated cluster for Batch engine tests, as {@link World} is for the canary: the CronJob, its
 * runs (started and finished on command), validation Jobs (succeeding or failing on command), and
 * kept job templates follow the engine's decisions; the status survives only as JSON, and every
 * step uses a fresh engine. After every reconcile it checks the switch rules: the CronJob's version
 * changes only while it is suspended and no run of it is active, and only to the version in service
 * or one whose validation succeeded.
 */
final class BatchWorld {
  static final ObjectMapper JSON = new ObjectMapper();
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final BatchSpec spec = new BatchSpec();
  RolloutPolicySpec policy;
  String version = "1.0.0";
  String action;
  boolean specPaused;
  String statusJson;
  ModeDecision last;
  final List<EventSpec> events = new ArrayList<>();
  final Map<String, Double> gateValues = new HashMap<>();
  final List<String> measured = new ArrayList<>();

  /**
   * When set, due gates are measured as the operator measures them: {@link GateRunner} fills the
   * queries for the version being validated and for the version in service, and asks this provider
   * (instead of {@link #gateValues}).
   */
  MetricProvider provider;

  int resourceVersion = 1;

  /** The CronJob, or null. */
  Cron cron;

  final Map<String, SimJob> jobs = new LinkedHashMap<>();
  final Set<String> templates = new LinkedHashSet<>();
  final List<String> cronRevisions = new ArrayList<>();
  int runCounter;

  static final class Cron {
    String revision;
    String version;
    boolean suspended;
  }

  static final class SimJob {
    String name;
    BatchObserved.Kind kind;
    String revision;
    String version;
    String attempt;
    Instant start;
    Instant end;
    Outcome outcome = Outcome.Running;
    String reason;
    String input;
    String output;
  }

  BatchWorld(RolloutPolicySpec policy) {
    this.policy = policy;
    spec.schedule = "0 2 * * *";
    spec.input = "s3://data/transactions";
    spec.output = "s3://scores/fraud";
  }

  static String revisionOf(String version) {
    return "rev-" + version.replace('.', '-');
  }

  ModelDeploymentStatus status() {
    try {
      return statusJson == null ? null : JSON.readValue(statusJson, ModelDeploymentStatus.class);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  BatchObserved observed() {
    List<BatchObserved.Job> list = new ArrayList<>();
    for (SimJob j : jobs.values()) {
      list.add(
          new BatchObserved.Job(
              j.name,
              j.kind,
              j.revision,
              j.version,
              j.attempt,
              j.start,
              j.end,
              j.outcome,
              j.reason,
              j.outcome == Outcome.Failed ? "kubectl -n ns logs job/" + j.name : null,
              j.input,
              j.output));
    }
    BatchObserved.Cron c = null;
    if (cron != null) {
      List<String> active =
          jobs.values().stream()
              .filter(j -> j.kind == BatchObserved.Kind.RUN && j.outcome == Outcome.Running)
              .map(j -> j.name)
              .toList();
      c = new BatchObserved.Cron(cron.revision, cron.version, cron.suspended, active);
    }
    return new BatchObserved("fraud", spec, c, list, Set.copyOf(templates));
  }

  RolloutSnapshot snapshot(Map<String, Measurement> m) {
    return new RolloutSnapshot(
        3,
        String.valueOf(resourceVersion),
        version,
        revisionOf(version),
        1,
        specPaused,
        policy,
        false,
        List.of(),
        Map.of(),
        status(),
        action,
        m);
  }

  /** One reconcile with a fresh engine; the cluster follows the decision. */
  ModeDecision step() {
    ModeEngine engine = new ModeEngine(clock);
    BatchObserved before = observed();
    Map<String, Measurement> m = new HashMap<>();
    for (GateSpec g : engine.gatesDue(snapshot(Map.of()), before)) {
      measured.add(g.name);
      if (provider != null) {
        m.put(g.name, throughRunner(g));
        continue;
      }
      Double v = gateValues.get(g.name);
      m.put(
          g.name,
          v == null ? new Measurement.NoData("q", "no series") : new Measurement.Value(v, "q"));
    }
    ModeDecision d = engine.decide(snapshot(m), before);
    ModeIntent.Batch intent = (ModeIntent.Batch) d.intent();
    apply(intent, before);
    ModelDeploymentStatus old = status();
    ModelDeploymentStatus st =
        ModeStatus.applied(
            d.decision().status(),
            d.decision().facts(),
            DeploymentMode.Batch,
            spec,
            before.cron() != null,
            clock.instant().truncatedTo(ChronoUnit.SECONDS));
    events.addAll(StatusEvents.between(old, st));
    if (d.decision().actionConsumed()) {
      action = null;
      if (st.lastAction != null) st.lastAction.pending = null;
    }
    try {
      statusJson = JSON.writeValueAsString(st);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    resourceVersion++;
    last = new ModeDecision(d.decision().withStatus(st), intent);
    return last;
  }

  /** What GateMeasurer does: the new version is the canary side, the one in service stable. */
  private Measurement throughRunner(GateSpec g) {
    ModelDeploymentStatus st = status();
    GateRunner.Variables vars =
        new GateRunner.Variables(variables(st.canary, "canary"), variables(st.stable, "stable"));
    return new GateRunner(provider)
        .measureOne(g, vars, x -> QueryTarget.plain("http://prometheus", Duration.ofSeconds(1)));
  }

  private static Map<String, String> variables(RevisionStatus r, String variant) {
    return Map.of(
        "name",
        "fraud",
        "namespace",
        "ns",
        "model",
        "fraud-detector",
        "version",
        r.version,
        "revision",
        r.revision,
        "variant",
        variant);
  }

  private void apply(ModeIntent.Batch intent, BatchObserved before) {
    String specRevision = revisionOf(version);
    if (intent.templates().contains(specRevision)) {
      templates.add(specRevision);
    }
    boolean deleting = false;
    for (String name : intent.deleteJobs()) {
      if (jobs.remove(name) != null && intent.validation() != null) {
        deleting |= name.equals(intent.validation().name());
      }
    }
    ModeIntent.ValidationJob v = intent.validation();
    if (v != null && !deleting && !jobs.containsKey(v.name())) {
      SimJob j = new SimJob();
      j.name = v.name();
      j.kind = BatchObserved.Kind.VALIDATION;
      j.revision = v.revision();
      j.version = v.version();
      j.attempt = v.attempt();
      j.start = clock.instant();
      j.input = v.input();
      j.output = v.output();
      jobs.put(j.name, j);
    }
    ModeIntent.CronTarget t = intent.cron();
    assertThat(t.revision().equals(specRevision) || templates.contains(t.revision()))
        .as("the CronJob's revision %s has a kept template or is the spec's", t.revision())
        .isTrue();
    if (cron == null) {
      cron = new Cron();
    } else if (!Objects.equals(cron.revision, t.revision())) {
      BatchObserved.Cron was = before.cron();
      assertThat(was.suspended()).as("the CronJob is suspended before it switches").isTrue();
      assertThat(was.active()).as("no run is active when the CronJob switches").isEmpty();
      cronRevisions.add(t.revision());
    }
    cron.revision = t.revision();
    cron.version = t.version();
    cron.suspended = t.suspend();
    intent.dropTemplates().forEach(templates::remove);
  }

  /** Steps until the status and the CronJob no longer change (a gate measured, a switch made). */
  ModeDecision settle() {
    ModeDecision d = step();
    for (int i = 0; i < 10; i++) {
      String before = statusJson + cronState();
      d = step();
      if (before.equals(statusJson + cronState())) {
        return d;
      }
    }
    throw new AssertionError("the batch world did not settle: " + statusJson);
  }

  private String cronState() {
    return cron == null ? "-" : cron.revision + "/" + cron.suspended;
  }

  /** The CronJob starts a run now (if it is not suspended). */
  SimJob startRun() {
    if (cron == null || cron.suspended) {
      return null;
    }
    SimJob j = new SimJob();
    j.name = "fraud-" + (29000000 + ++runCounter);
    j.kind = BatchObserved.Kind.RUN;
    j.revision = cron.revision;
    j.version = cron.version;
    j.start = clock.instant();
    j.input = spec.input;
    j.output = spec.output + "/" + cron.version + "/" + j.name;
    jobs.put(j.name, j);
    return j;
  }

  void finish(SimJob j, boolean success) {
    j.end = clock.instant();
    j.outcome = success ? Outcome.Succeeded : Outcome.Failed;
    j.reason = success ? null : "BackoffLimitExceeded: Job has reached the specified backoff limit";
  }

  SimJob validationJob() {
    return jobs.values().stream()
        .filter(j -> j.kind == BatchObserved.Kind.VALIDATION)
        .reduce((a, b) -> b)
        .orElse(null);
  }

  void advance(Duration d) {
    clock.advance(d);
  }
}
