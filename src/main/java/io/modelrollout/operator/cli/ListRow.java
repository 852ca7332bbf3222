package io.modelrollout.operator.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.modelrollout.operator.api.GateStatus;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One line of {@code list}: the printer columns of the CRD plus the step and a gate summary (pure);
 * also an item of {@code list -o json|yaml}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ListRow(
    String namespace,
    String name,
    String model,
    String stable,
    String canary,
    Integer weight,
    Phase phase,
    Integer step,
    Integer steps,
    String currentStep,
    String gates,
    String created) {

  /** A row; {@code steps} is the number of stages of its policy, or null when unknown. */
  public static ListRow of(ModelDeployment md, Integer steps) {
    ModelDeploymentStatus st = md.getStatus();
    String model = md.getSpec() == null ? null : md.getSpec().model.name;
    if (st == null) {
      return new ListRow(
          md.getMetadata().getNamespace(),
          md.getMetadata().getName(),
          model,
          null,
          null,
          null,
          null,
          null,
          steps,
          null,
          null,
          md.getMetadata().getCreationTimestamp());
    }
    boolean rollout = st.canary != null && st.currentStepIndex != null;
    return new ListRow(
        md.getMetadata().getNamespace(),
        md.getMetadata().getName(),
        model,
        st.stable == null ? null : st.stable.version,
        st.canary == null ? null : st.canary.version,
        st.weights == null ? null : st.weights.actualCanary,
        st.phase,
        rollout ? st.currentStepIndex + 1 : null,
        steps,
        rollout ? st.currentStep : null,
        gateSummary(st.gates),
        md.getMetadata().getCreationTimestamp());
  }

  /** e.g. "1/2 passed; failed: error-rate" or "-" without gates. */
  static String gateSummary(List<GateStatus> gates) {
    if (gates == null || gates.isEmpty()) {
      return null;
    }
    long passed = gates.stream().filter(g -> g.verdict == Verdict.Pass).count();
    List<String> parts = new ArrayList<>();
    parts.add(passed + "/" + gates.size() + " passed");
    for (Verdict v : List.of(Verdict.Fail, Verdict.Inconclusive)) {
      String names =
          gates.stream()
              .filter(g -> g.verdict == v)
              .map(g -> g.name)
              .collect(Collectors.joining(","));
      if (!names.isEmpty()) {
        parts.add((v == Verdict.Fail ? "failed: " : "inconclusive: ") + names);
      }
    }
    return String.join("; ", parts);
  }

  /** The rows as kubectl prints a table. */
  public static String render(List<ListRow> rows, boolean allNamespaces, Style s, Instant now) {
    List<String> header =
        new ArrayList<>(
            List.of(
                "NAME", "MODEL", "STABLE", "CANARY", "WEIGHT", "PHASE", "STEP", "GATES", "AGE"));
    if (allNamespaces) {
      header.add(0, "NAMESPACE");
    }
    Table t = new Table("", header.toArray(String[]::new));
    for (ListRow r : rows) {
      List<String> cells = new ArrayList<>();
      if (allNamespaces) {
        cells.add(r.namespace());
      }
      String step =
          r.step() == null
              ? "-"
              : r.step() + (r.steps() == null ? "" : "/" + r.steps()) + " " + r.currentStep();
      cells.addAll(
          List.of(
              r.name(),
              dash(r.model()),
              dash(r.stable()),
              dash(r.canary()),
              r.weight() == null ? "-" : r.weight().toString(),
              s.phase(r.phase()),
              step,
              r.gates() == null ? "-" : r.gates(),
              Ages.since(Ages.parse(r.created()), now)));
      t.row(cells.toArray(String[]::new));
    }
    return String.join("\n", t.lines()) + "\n";
  }

  private static String dash(String s) {
    return s == null ? "-" : s;
  }
}
