package io.modelrollout.operator.cli;

import io.modelrollout.operator.analysis.Thresholds;
import io.modelrollout.operator.api.BatchStatus;
import io.modelrollout.operator.api.ComparisonStatus;
import io.modelrollout.operator.api.DeploymentMode;
import io.modelrollout.operator.api.EdgeStatus;
import io.modelrollout.operator.api.ExperimentStatus;
import io.modelrollout.operator.api.Verdict;
import io.modelrollout.operator.cli.RolloutView.Cond;
import io.modelrollout.operator.cli.RolloutView.EventView;
import io.modelrollout.operator.cli.RolloutView.Gate;
import io.modelrollout.operator.cli.RolloutView.History;
import io.modelrollout.operator.cli.RolloutView.Revision;
import io.modelrollout.operator.cli.RolloutView.Step;
import io.modelrollout.operator.cli.RolloutView.Traffic;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The text of {@code get}: one ModelDeployment at a glance (pure). */
public final class GetRenderer {
  static final int HISTORY_SHOWN = 5;
  static final int EVENTS_SHOWN = 8;
  static final int RUNS_SHOWN = 3;
  static final int SKIPPED_NODES_SHOWN = 3;

  private GetRenderer() {}

  public static String render(RolloutView v, Style s, Instant now) {
    List<String> out = new ArrayList<>();
    header(v, s, now, out);
    revisions(v, s, out);
    batch(v, s, now, out);
    edge(v, s, out);
    autoscaling(v, s, out);
    steps(v, s, out);
    weights(v, s, out);
    experiment(v, s, now, out);
    gates(v, s, now, out);
    history(v, s, now, out);
    events(v, s, now, out);
    return String.join("\n", out) + "\n";
  }

  private static void header(RolloutView v, Style s, Instant now, List<String> out) {
    field(out, s, "Name", v.name());
    field(out, s, "Namespace", v.namespace());
    if (v.model() != null) {
      String uri = v.model().uri() == null ? "" : "  " + s.dim(v.model().uri());
      field(out, s, "Model", v.model().name() + " " + s.bold(v.model().version()) + uri);
    }
    field(out, s, "Phase", s.phase(v.phase()));
    if (v.message() != null) {
      field(out, s, "Message", v.message());
    }
    field(out, s, "Policy", policy(v));
    if (v.mode() != null) {
      field(out, s, "Mode", v.mode().name());
    } else {
      field(out, s, "Traffic", v.traffic());
    }
    if (v.stale()) {
      field(
          out,
          s,
          "Status",
          s.yellow(
              "from generation "
                  + (v.observedGeneration() == null ? "-" : v.observedGeneration())
                  + "; the operator has not acted on generation "
                  + v.generation()
                  + " yet"));
    }
    if (v.rollout() != null && Boolean.TRUE.equals(v.rollout().paused())) {
      field(out, s, "Paused", s.yellow("by the " + v.rollout().pausedBy()));
    }
    if (v.lastAction() != null) {
      String ago = Ages.since(Ages.parse(v.lastAction().at()), now);
      String text = v.lastAction().action() + " (" + ago + " ago): " + v.lastAction().message();
      field(
          out,
          s,
          "Last action",
          Boolean.TRUE.equals(v.lastAction().rejected()) ? s.yellow("rejected " + text) : text);
    }
    if (!v.conditions().isEmpty()) {
      List<String> cs = new ArrayList<>();
      for (Cond c : v.conditions()) {
        boolean bad =
            ("Degraded".equals(c.type()) || RolloutView.INVALID_SPEC.equals(c.type()))
                && RolloutView.isTrue(c);
        String text = c.type() + "=" + c.status();
        cs.add(bad ? s.red(text) : text);
      }
      field(out, s, "Conditions", String.join(" ", cs));
    }
  }

  private static String policy(RolloutView v) {
    RolloutView.Policy p = v.policy();
    if ("none".equals(p.source())) {
      if (v.mode() == DeploymentMode.Batch) {
        return "none (a new version runs its validation Job, then the CronJob switches to it)";
      }
      if (v.mode() == DeploymentMode.Edge) {
        return "none (a new version goes to every node, edge.maxUnavailableNodes at a time)";
      }
      return "none (a new version replaces the old one once its pods are ready)";
    }
    String name = "inline".equals(p.source()) ? "inline policy" : p.name();
    return name + (p.strategy() == null ? "" : " (" + p.strategy() + ")");
  }

  private static void revisions(RolloutView v, Style s, List<String> out) {
    if (v.stable() == null && v.canary() == null) {
      return;
    }
    heading(out, s, "Revisions");
    Table t = new Table("  ", "ROLE", "VERSION", "REVISION", "PODS READY/DESIRED");
    revision(t, s, "stable", v.stable());
    revision(t, s, "canary", v.canary());
    out.addAll(t.lines());
  }

  private static void revision(Table t, Style s, String role, Revision r) {
    if (r == null) {
      return;
    }
    if (r.desired() == null && r.ready() == null) { // Batch: a revision has no pods of its own
      t.row(role, r.version(), r.revision(), "-");
      return;
    }
    int ready = r.ready() == null ? 0 : r.ready();
    int desired = r.desired() == null ? 0 : r.desired();
    String pods = ready + "/" + desired;
    t.row(role, r.version(), r.revision(), ready < desired ? s.yellow(pods) : pods);
  }

  private static void steps(RolloutView v, Style s, List<String> out) {
    boolean inRollout = v.rollout() != null && v.rollout().currentStepIndex() != null;
    heading(out, s, inRollout ? "Steps" : "Steps (no rollout in progress)");
    if (v.policy().error() != null) {
      out.add("  " + s.yellow("steps unknown: " + v.policy().error()));
      if (inRollout) {
        out.add(
            "  "
                + s.stepMarker(Style.StepState.CURRENT)
                + " "
                + (v.rollout().currentStepIndex() + 1)
                + "  "
                + s.bold(v.rollout().currentStep()));
      }
      return;
    }
    int width = v.steps().stream().mapToInt(st -> st.text().length()).max().orElse(0);
    int digits = String.valueOf(v.steps().size()).length();
    for (Step st : v.steps()) {
      Style.StepState state =
          switch (st.state()) {
            case "done" -> Style.StepState.DONE;
            case "current" -> Style.StepState.CURRENT;
            case "pending" -> Style.StepState.PENDING;
            default -> Style.StepState.NONE;
          };
      String num = String.format("%" + digits + "d", st.index() + 1);
      StringBuilder line = new StringBuilder("  " + s.stepMarker(state) + " " + num + "  ");
      if (state == Style.StepState.CURRENT) {
        String pad = " ".repeat(width - st.text().length());
        line.append(s.bold(st.text())).append(pad).append("   ").append(running(v, st, s));
      } else if (state == Style.StepState.PENDING) {
        line.append(s.dim(st.text()));
      } else {
        line.append(st.text());
      }
      out.add(line.toString().stripTrailing());
    }
  }

  private static String running(RolloutView v, Step st, Style s) {
    List<String> parts = new ArrayList<>();
    if (st.elapsedSeconds() != null) {
      parts.add("for " + Ages.human(Duration.ofSeconds(st.elapsedSeconds())));
    }
    if (Boolean.TRUE.equals(v.rollout().paused())) {
      parts.add(s.yellow("paused"));
    } else if (st.remainingSeconds() != null) {
      String left = Ages.human(Duration.ofSeconds(st.remainingSeconds())) + " left";
      parts.add(
          switch (st.remainingBound() == null ? "exact" : st.remainingBound()) {
            case "atLeast" -> "at least " + left;
            case "atMost" -> "at most " + left;
            default -> left;
          });
    } else if (st.waitingFor() != null) {
      ExperimentStatus ex = v.experiment();
      String decided =
          ex != null && ex.decision != null && "promote or abort".equals(st.waitingFor())
              ? "A/B test " + s.decision(ex.decision) + ", "
              : "";
      parts.add(decided + "waiting for " + st.waitingFor());
    }
    String statusStep = v.rollout().currentStep();
    if (statusStep != null && !statusStep.equals(st.text())) {
      parts.add(s.yellow("status says '" + statusStep + "': the policy changed"));
    }
    return String.join(", ", parts);
  }

  private static void weights(RolloutView v, Style s, List<String> out) {
    Traffic w = v.weights();
    if (w == null) {
      return;
    }
    heading(out, s, "Weights");
    boolean idle =
        v.canary() == null
            && (w.canary() == null || w.canary() == 0)
            && (w.actualCanary() == null || w.actualCanary() == 0);
    if (idle) {
      out.add("  stable 100% (no canary)");
      return;
    }
    Table t = new Table("  ");
    String step =
        w.stepWeight() != null && !w.stepWeight().equals(w.canary())
            ? "the step asks for " + w.stepWeight() + "%; it goes into force once pods carry it"
            : "";
    t.row("asked", "canary " + pct(w.canary()), "stable " + pct(w.stable()), step);
    Integer actual = w.actualCanary();
    String how;
    if ("ReplicaRatio".equals(w.provider())) {
      how = "share of ready pods behind the Service (ReplicaRatio)";
    } else if (Boolean.TRUE.equals(w.verified())) {
      how = "read back from the " + routeKind(w.provider());
    } else {
      how = s.yellow("not verified: the " + routeKind(w.provider()) + " differs");
    }
    t.row(
        "in force",
        "canary " + pct(actual),
        "stable " + (actual == null ? "-" : (100 - actual) + "%"),
        how);
    out.addAll(t.lines());
    if (w.mirror() != null && w.mirror() > 0) {
      out.add(
          "  mirror     " + w.mirror() + "% of requests copied to the canary (responses dropped)");
    }
  }

  private static String routeKind(String provider) {
    if ("GatewayAPI".equals(provider)) return "HTTPRoute";
    if ("Istio".equals(provider)) return "VirtualService";
    return "route";
  }

  private static String pct(Integer p) {
    return p == null ? "-" : p + "%";
  }

  private static void gates(RolloutView v, Style s, Instant now, List<String> out) {
    if (v.gates().isEmpty()) {
      return;
    }
    heading(out, s, "Gates");
    out.addAll(gateLines(v, s, now));
  }

  /** The gates table, its legend and the messages of gates that did not pass. */
  static List<String> gateLines(RolloutView v, Style s, Instant now) {
    List<String> out = new ArrayList<>();
    Table t =
        new Table(
            "  ", "NAME", "VERDICT", "VALUE", "THRESHOLD", "PASS", "FAIL", "NO DATA", "MEASURED");
    List<String> notes = new ArrayList<>();
    for (Gate g : v.gates()) {
      t.row(
          g.name(),
          s.verdict(g.verdict()),
          g.value() == null ? "-" : Thresholds.fmt(g.value()),
          g.threshold() == null ? "-" : g.threshold(),
          ratio(g.successes(), g.count()),
          ratio(g.failures(), g.failureLimit()),
          g.inconclusiveLimit() != null && g.inconclusiveLimit() == 0
              ? n(g.inconclusives())
              : ratio(g.inconclusives(), g.inconclusiveLimit()),
          g.measuredAt() == null ? "-" : Ages.since(Ages.parse(g.measuredAt()), now) + " ago");
      if (g.message() != null && g.verdict() != Verdict.Pass) {
        notes.add("  " + g.name() + ": " + g.message());
      }
    }
    out.addAll(t.lines());
    out.add(
        s.dim(
            "  PASS: good/needed  FAIL: bad/tolerated  NO DATA: in a row/tolerated (none: no limit)"));
    for (Gate g : v.gates()) {
      if (g.comparison() != null) {
        out.add("  " + g.name() + ": " + comparison(g.comparison()));
      }
    }
    out.addAll(notes);
    return out;
  }

  /** A comparison gate's statistics and sample counts in a line. */
  static String comparison(ComparisonStatus c) {
    List<String> parts = new ArrayList<>();
    if (c.psi != null) {
      parts.add("PSI " + sig(c.psi, 3));
    }
    if (c.ks != null) {
      parts.add("KS " + sig(c.ks, 3) + (c.ksAt == null ? "" : " at le " + c.ksAt));
    }
    if (c.pValue != null) {
      String test = "ChiSquare".equals(c.test) ? "chi-square" : c.test;
      parts.add("p " + pValue(c.pValue) + (test == null ? "" : " (" + test + ")"));
    }
    String text = parts.isEmpty() ? "no comparison yet" : String.join(", ", parts);
    return text
        + "; predictions: stable "
        + (c.stableSamples == null ? "-" : c.stableSamples)
        + ", new "
        + (c.canarySamples == null ? "-" : c.canarySamples);
  }

  private static String ratio(Integer a, Integer b) {
    return n(a) + (b == null ? "" : "/" + b);
  }

  private static String n(Integer a) {
    return a == null ? "0" : a.toString();
  }

  private static void batch(RolloutView v, Style s, Instant now, List<String> out) {
    if (v.batch() == null) {
      return;
    }
    heading(out, s, "Batch");
    out.addAll(batchLines(v, s, now));
  }

  /** The CronJob, the validation Job and the last runs of a Batch ModelDeployment. */
  static List<String> batchLines(RolloutView v, Style s, Instant now) {
    List<String> out = new ArrayList<>();
    BatchStatus b = v.batch();
    List<String> service = new ArrayList<>();
    if (v.stable() != null) {
      service.add(
          "version "
              + v.stable().version()
              + " in service"
              + (b.inServiceSince == null
                  ? ""
                  : " since " + Ages.since(Ages.parse(b.inServiceSince), now) + " ago"));
    }
    service.add(
        b.lastSuccessfulRun == null
            ? "no successful run yet"
            : "last successful run " + Ages.since(Ages.parse(b.lastSuccessfulRun), now) + " ago");
    subfield(
        out,
        s,
        "CronJob",
        (b.cronJob == null ? "-" : b.cronJob) + ": " + String.join(", ", service));
    if (b.switching != null) {
      subfield(out, s, "Switching", s.yellow(b.switching));
    }
    if (b.validation != null) {
      BatchStatus.ValidationRun j = b.validation;
      subfield(
          out,
          s,
          "Validation",
          "Job "
              + j.job
              + " of version "
              + j.version
              + (j.attempt == null || j.attempt == 1 ? "" : " (attempt " + j.attempt + ")")
              + (j.shadowOf == null ? "" : ", shadow of run " + j.shadowOf)
              + ": "
              + validationOutcome(j, s, now));
      if (j.outcome == BatchStatus.Outcome.Failed && j.reason != null) {
        subfield(out, s, "", s.red(j.reason));
      }
      if (j.outcome == BatchStatus.Outcome.Failed && j.logs != null) {
        subfield(out, s, "", "logs: " + j.logs);
      }
    }
    if (!b.runs.isEmpty()) {
      out.add("  " + s.bold("Last runs:"));
      Table t = new Table("    ", "JOB", "VERSION", "STARTED", "DURATION", "OUTCOME", "REASON");
      for (BatchStatus.Run r : b.runs.subList(0, Math.min(RUNS_SHOWN, b.runs.size()))) {
        t.row(
            r.job,
            r.version,
            r.startedAt == null ? "-" : Ages.since(Ages.parse(r.startedAt), now) + " ago",
            r.durationSeconds == null ? "-" : Ages.human(Duration.ofSeconds(r.durationSeconds)),
            s.runOutcome(r.outcome),
            r.reason);
      }
      out.addAll(t.lines());
    }
    return out;
  }

  private static String validationOutcome(BatchStatus.ValidationRun j, Style s, Instant now) {
    Instant start = Ages.parse(j.startedAt);
    Instant end = Ages.parse(j.finishedAt);
    String took =
        start == null ? "" : " " + Ages.human(Duration.between(start, end == null ? now : end));
    if (j.outcome == null) {
      return "-";
    }
    return switch (j.outcome) {
      case Pending -> s.runOutcome(j.outcome);
      case Running -> s.runOutcome(j.outcome) + (took.isEmpty() ? "" : " for" + took);
      case Succeeded -> s.runOutcome(j.outcome) + (took.isEmpty() ? "" : " in" + took);
      case Failed -> s.runOutcome(j.outcome) + (took.isEmpty() ? "" : " after" + took);
    };
  }

  private static void edge(RolloutView v, Style s, List<String> out) {
    EdgeStatus e = v.edge();
    if (e == null) {
      return;
    }
    heading(out, s, "Edge");
    EdgeStatus.Nodes n = e.nodes;
    if (n != null) {
      String skipped = n(n.skipped) + " skipped";
      subfield(
          out,
          s,
          "Nodes",
          n(n.total)
              + " total, "
              + n(n.updated)
              + " updated, "
              + n(n.ready)
              + " ready, "
              + (n.skipped != null && n.skipped > 0 ? s.yellow(skipped) : skipped));
    }
    List<EdgeStatus.SkippedNode> sk = e.skippedNodes;
    for (int i = 0; i < Math.min(SKIPPED_NODES_SHOWN, sk.size()); i++) {
      subfield(out, s, i == 0 ? "Skipped" : "", sk.get(i).name + ": " + sk.get(i).reason);
    }
    int more = (n == null || n.skipped == null ? sk.size() : n.skipped) - SKIPPED_NODES_SHOWN;
    if (more > 0) {
      subfield(out, s, "", s.dim("and " + more + " more (status.edge.skippedNodes)"));
    }
    if (e.label != null) {
      subfield(out, s, "Node label", e.label);
    }
  }

  private static void autoscaling(RolloutView v, Style s, List<String> out) {
    RolloutView.Autoscaling a = v.autoscaling();
    if (a == null) {
      return;
    }
    heading(out, s, "Autoscaling");
    subfield(
        out,
        s,
        "HPA",
        (a.hpa() == null ? "-" : a.hpa())
            + (a.target() == null ? "" : " (scales " + a.target() + ")"));
    List<String> pods = new ArrayList<>();
    pods.add(n(a.currentReplicas()) + " now");
    pods.add(n(a.desiredReplicas()) + " desired");
    if (a.minReplicas() != null) pods.add("min " + a.minReplicas());
    if (a.maxReplicas() != null) pods.add("max " + a.maxReplicas());
    subfield(out, s, "Replicas", String.join(", ", pods));
    if (Boolean.TRUE.equals(a.scaleDownDisabled())) {
      subfield(out, s, "Scale-down", "disabled while the rollout runs (it may scale up)");
    }
  }

  private static void experiment(RolloutView v, Style s, Instant now, List<String> out) {
    if (v.experiment() == null) {
      return;
    }
    heading(out, s, "A/B test");
    out.addAll(experimentLines(v, s, now));
  }

  /**
   * The version the treatment was tested against: stable, or once the treatment was promoted the
   * version promoted before it.
   */
  static String control(RolloutView v, ExperimentStatus ex) {
    if (v.stable() == null) {
      return null;
    }
    if (!java.util.Objects.equals(v.stable().version(), ex.version) || v.history() == null) {
      return v.stable().version();
    }
    return v.history().stream()
        .filter(h -> h.outcome() == io.modelrollout.operator.api.HistoryEntry.Outcome.Promoted)
        .map(RolloutView.History::version)
        .filter(ver -> ver != null && !ver.equals(ex.version))
        .findFirst()
        .orElse(null);
  }

  /** The A/B test: decision, per metric both variants and the difference, the sample ratio. */
  static List<String> experimentLines(RolloutView v, Style s, Instant now) {
    List<String> out = new ArrayList<>();
    ExperimentStatus ex = v.experiment();
    List<String> about = new ArrayList<>();
    about.add(
        "version "
            + ex.version
            + " (treatment)"
            + (control(v, ex) == null ? "" : " against " + control(v, ex) + " (control)"));
    if (ex.startedAt != null) {
      about.add("started " + Ages.since(Ages.parse(ex.startedAt), now) + " ago");
    }
    if (ex.looks != null) {
      about.add(ex.looks + (ex.looks == 1 ? " look" : " looks"));
    }
    subfield(out, s, "Test", String.join(", ", about));
    String message = ex.message;
    if (message != null && ex.decision != null) {
      String prefix = ex.decision.name().toLowerCase(java.util.Locale.ROOT) + ": ";
      if (message.startsWith(prefix)) { // "running: minDuration not reached; ..."
        message = message.substring(prefix.length());
      }
    }
    subfield(out, s, "Decision", s.decision(ex.decision) + (message == null ? "" : ": " + message));
    if (!ex.metrics.isEmpty()) {
      Table t =
          new Table(
              "  ",
              "METRIC",
              "BETTER",
              "CONTROL (N)",
              "TREATMENT (N)",
              "DIFFERENCE [INTERVAL]",
              "P-VALUE",
              "SIGNIFICANT");
      for (ExperimentStatus.MetricResult m : ex.metrics) {
        ExperimentStatus.Difference d = m.difference;
        t.row(
            m.name,
            m.better == null ? "-" : m.better.toLowerCase(java.util.Locale.ROOT),
            variant(m.control),
            variant(m.treatment),
            difference(d),
            d == null ? "-" : pValues(d),
            d == null || d.significant == null ? "-" : d.significant ? s.bold("yes") : "no");
      }
      out.addAll(t.lines());
      List<String> intervals =
          ex.metrics.stream()
              .map(m -> m.difference == null ? null : m.difference.interval)
              .filter(java.util.Objects::nonNull)
              .distinct()
              .toList();
      out.add(
          s.dim(
              "  DIFFERENCE: treatment - control"
                  + (intervals.isEmpty() ? "" : " [" + String.join("/", intervals) + " interval]")
                  + "  P-VALUE: seq. always-valid (every look), fixed at maxDuration"));
    }
    ExperimentStatus.SampleRatio r = ex.sampleRatio;
    if (r != null) {
      String text =
          "control "
              + (r.control == null ? "-" : r.control)
              + ", treatment "
              + (r.treatment == null ? "-" : r.treatment)
              + (r.expectedTreatmentShare == null
                  ? ""
                  : " (treatment expected " + sig(r.expectedTreatmentShare * 100, 3) + "%)")
              + (r.pValue == null ? "" : ", p " + pValue(r.pValue))
              + ": ";
      subfield(
          out,
          s,
          "Sample ratio",
          text
              + (Boolean.TRUE.equals(r.mismatch)
                  ? s.red("MISMATCH, the test is invalid")
                  : "no mismatch"));
    }
    if (ex.sampleSizeHint != null) {
      subfield(
          out,
          s,
          "Sample size",
          ex.sampleSizeHint + " per variant for a fixed-horizon test of the minimum effect");
    }
    return out;
  }

  private static String variant(ExperimentStatus.Variant x) {
    if (x == null) {
      return "-";
    }
    return (x.value == null ? "-" : sig(x.value, 4))
        + " ("
        + (x.samples == null ? "-" : x.samples)
        + ")";
  }

  private static String difference(ExperimentStatus.Difference d) {
    if (d == null || d.estimate == null) {
      return "-";
    }
    String text = signed(d.estimate);
    if (d.low != null && d.high != null) {
      text += " [" + signed(d.low) + ", " + signed(d.high) + "]";
    }
    return text;
  }

  private static String pValues(ExperimentStatus.Difference d) {
    List<String> parts = new ArrayList<>();
    if (d.sequentialPValue != null) parts.add(pValue(d.sequentialPValue) + " seq.");
    if (d.pValue != null) parts.add(pValue(d.pValue) + " fixed");
    return parts.isEmpty() ? "-" : String.join(", ", parts);
  }

  private static String signed(double x) {
    return (x > 0 ? "+" : "") + sig(x, 3);
  }

  /** {@code x} to {@code digits} significant digits, without exponent or trailing zeros. */
  static String sig(double x, int digits) {
    if (Double.isNaN(x) || Double.isInfinite(x)) {
      return Double.toString(x);
    }
    if (x == 0) {
      return "0";
    }
    BigDecimal d = new BigDecimal(x).round(new MathContext(digits)).stripTrailingZeros();
    return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
  }

  private static String pValue(double p) {
    return p < 0.0001 ? "<0.0001" : sig(p, 2);
  }

  private static void history(RolloutView v, Style s, Instant now, List<String> out) {
    if (v.history().isEmpty()) {
      return;
    }
    heading(out, s, "History");
    out.addAll(historyTable(v.history(), s, now, HISTORY_SHOWN, "  ").lines());
  }

  /** The history as a table, newest first. */
  static Table historyTable(List<History> history, Style s, Instant now, int max, String indent) {
    Table t = new Table(indent, "VERSION", "REVISION", "OUTCOME", "ENDED", "DURATION", "REASON");
    historyRows(t, history, s, now, max);
    return t;
  }

  /** Adds up to {@code max} history entries to {@code t}; also {@code history}'s rows. */
  static void historyRows(Table t, List<History> history, Style s, Instant now, int max) {
    for (History h : history.subList(0, Math.min(max, history.size()))) {
      t.row(
          h.version(),
          h.revision(),
          s.outcome(h.outcome()),
          Ages.since(Ages.parse(h.at()), now) + " ago",
          h.durationSeconds() == null ? "-" : Ages.human(Duration.ofSeconds(h.durationSeconds())),
          h.reason());
    }
  }

  private static void events(RolloutView v, Style s, Instant now, List<String> out) {
    if (v.events().isEmpty()) {
      return;
    }
    heading(out, s, "Events");
    Table t = new Table("  ", "AGE", "TYPE", "REASON", "MESSAGE");
    List<EventView> ev = v.events();
    for (EventView e : ev.subList(Math.max(0, ev.size() - EVENTS_SHOWN), ev.size())) {
      t.row(Ages.since(Ages.parse(e.time()), now), s.eventType(e.type()), e.reason(), e.message());
    }
    out.addAll(t.lines());
  }

  private static void field(List<String> out, Style s, String name, String value) {
    out.add(s.bold(String.format("%-12s", name + ":")) + " " + value);
  }

  /** A field of a section, indented under its heading. */
  private static void subfield(List<String> out, Style s, String name, String value) {
    out.add(
        "  " + (name.isEmpty() ? " ".repeat(14) : s.bold(String.format("%-14s", name))) + value);
  }

  private static void heading(List<String> out, Style s, String title) {
    out.add("");
    out.add(s.bold(title + ":"));
  }
}
