package io.modelrollout.operator.status;

import io.modelrollout.operator.api.BatchStatus;
import io.modelrollout.operator.api.BatchStatus.Outcome;
import io.modelrollout.operator.api.Condition;
import io.modelrollout.operator.api.EdgeStatus;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The events of the Batch and Edge modes, from the change of status (pure, like {@link
 * StatusEvents}): a validation Job started, succeeded or failed; a scheduled run finished; the
 * output went stale; nodes were skipped.
 */
final class ModeEvents {
  private ModeEvents() {}

  static void between(ModelDeploymentStatus o, ModelDeploymentStatus n, List<EventSpec> out) {
    validation(o.batch, n.batch, out);
    runs(o.batch, n.batch, out);
    Condition before = Conditions.find(o.conditions, Condition.FRESH);
    Condition after = Conditions.find(n.conditions, Condition.FRESH);
    if (after != null && !after.isTrue() && (before == null || before.isTrue())) {
      out.add(EventSpec.warning(Reasons.STALE, after.message));
    }
    skipped(o.edge, n.edge, out);
  }

  private static void validation(BatchStatus o, BatchStatus n, List<EventSpec> out) {
    BatchStatus.ValidationRun v = n == null ? null : n.validation;
    if (v == null) {
      return;
    }
    BatchStatus.ValidationRun w = o == null ? null : o.validation;
    boolean same = w != null && Objects.equals(w.id, v.id);
    Outcome was = same ? w.outcome : null;
    if (v.outcome == was) {
      return;
    }
    String job = "validation Job " + v.job + " of version " + v.version;
    if (v.outcome == Outcome.Pending && !same) {
      out.add(
          EventSpec.normal(
              Reasons.VALIDATION_STARTED,
              job
                  + " started on "
                  + v.input
                  + (v.shadowOf == null ? "" : " (shadow of run " + v.shadowOf + ")")
                  + ", output "
                  + v.output));
    } else if (v.outcome == Outcome.Succeeded) {
      out.add(EventSpec.normal(Reasons.VALIDATION_SUCCEEDED, job + " succeeded"));
    } else if (v.outcome == Outcome.Failed) {
      out.add(
          EventSpec.warning(
              Reasons.VALIDATION_FAILED,
              job + " failed: " + v.reason + (v.logs == null ? "" : "; logs: " + v.logs)));
    }
  }

  private static void runs(BatchStatus o, BatchStatus n, List<EventSpec> out) {
    if (n == null) {
      return;
    }
    for (BatchStatus.Run r : n.runs) {
      if (r.outcome != Outcome.Succeeded && r.outcome != Outcome.Failed) {
        continue;
      }
      boolean known =
          o != null
              && o.runs.stream()
                  .anyMatch(x -> Objects.equals(x.job, r.job) && x.outcome == r.outcome);
      if (known) {
        continue;
      }
      String run = "run " + r.job + " of version " + r.version;
      out.add(
          r.outcome == Outcome.Succeeded
              ? EventSpec.normal(
                  Reasons.RUN_SUCCEEDED,
                  run
                      + " succeeded"
                      + (r.durationSeconds == null ? "" : " in " + r.durationSeconds + "s")
                      + "; output "
                      + r.output)
              : EventSpec.warning(Reasons.RUN_FAILED, run + " failed: " + r.reason));
    }
  }

  private static void skipped(EdgeStatus o, EdgeStatus n, List<EventSpec> out) {
    if (n == null || n.skippedNodes.isEmpty()) {
      return;
    }
    Set<String> before =
        o == null ? Set.of() : o.skippedNodes.stream().map(s -> s.name).collect(Collectors.toSet());
    List<EdgeStatus.SkippedNode> added =
        n.skippedNodes.stream().filter(s -> !before.contains(s.name)).toList();
    if (!added.isEmpty()) {
      out.add(
          EventSpec.warning(
              Reasons.NODES_SKIPPED,
              added.size()
                  + (added.size() == 1 ? " node" : " nodes")
                  + " skipped: "
                  + added.stream()
                      .map(s -> s.name + " (" + s.reason + ")")
                      .collect(Collectors.joining(", "))));
    }
  }
}
