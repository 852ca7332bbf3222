package io.modelrollout.operator.cli;

import io.modelrollout.operator.analysis.Thresholds;
import io.modelrollout.operator.api.Verdict;
import io.modelrollout.operator.cli.RolloutView.Cond;
import io.modelrollout.operator.cli.RolloutView.EventView;
import io.modelrollout.operator.cli.RolloutView.Gate;
import io.modelrollout.operator.cli.RolloutView.History;
import io.modelrollout.operator.cli.RolloutView.Revision;
import io.modelrollout.operator.cli.RolloutView.Step;
import io.modelrollout.operator.cli.RolloutView.Traffic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The text of {@code get}: one ModelDeployment at a glance (pure). */
public final class GetRenderer {
  static final int HISTORY_SHOWN = 5;
  static final int EVENTS_SHOWN = 8;

  private GetRenderer() {}

  public static String render(RolloutView v, Style s, Instant now) {
    List<String> out = new ArrayList<>();
    header(v, s, now, out);
    revisions(v, s, out);
    steps(v, s, out);
    weights(v, s, out);
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
    field(out, s, "Traffic", v.traffic());
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
      parts.add(Ages.human(Duration.ofSeconds(st.remainingSeconds())) + " left");
    } else if (st.text().equals("pause until promoted")) {
      parts.add("waiting for promote");
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
    out.addAll(notes);
    return out;
  }

  private static String ratio(Integer a, Integer b) {
    return n(a) + (b == null ? "" : "/" + b);
  }

  private static String n(Integer a) {
    return a == null ? "0" : a.toString();
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

  private static void heading(List<String> out, Style s, String title) {
    out.add("");
    out.add(s.bold(title + ":"));
  }
}
