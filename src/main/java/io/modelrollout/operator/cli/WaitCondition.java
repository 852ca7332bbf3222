package io.modelrollout.operator.cli;

import io.modelrollout.operator.api.Condition;
import io.modelrollout.operator.api.HistoryEntry;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.resources.RevisionHash;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * What {@code wait} waits for, and the verdict on one state of the ModelDeployment (pure). Only a
 * status computed from the generation the caller applied, or a later one, counts, so a previous
 * rollout's result is never reported.
 *
 * @param kind healthy, promoted, rolledback or phase
 * @param phase the phase of {@code --for=phase=X}
 */
public record WaitCondition(Kind kind, Phase phase) {

  /** The conditions {@code --for} accepts. */
  public enum Kind {
    HEALTHY,
    PROMOTED,
    ROLLEDBACK,
    PHASE
  }

  /** How a wait stands or ended; each end has its exit code. */
  public enum Result {
    WAITING(-1),
    MET(ExitCodes.OK),
    ROLLED_BACK(ExitCodes.FAILED),
    ABORTED(ExitCodes.FAILED),
    SUPERSEDED(ExitCodes.FAILED),
    PROMOTED_INSTEAD(ExitCodes.FAILED),
    INVALID_SPEC(ExitCodes.INVALID_SPEC),
    DELETED(ExitCodes.NOT_FOUND);

    public final int exitCode;

    Result(int exitCode) {
      this.exitCode = exitCode;
    }
  }

  /** A verdict and the sentence that explains it. */
  public record Verdict(Result result, String reason) {}

  /**
   * What the caller applied: the generation, the revision and the version of the spec when the wait
   * began.
   */
  public record Target(long generation, String revision, String version) {
    public static Target of(ModelDeployment md) {
      Long g = md.getMetadata().getGeneration();
      return new Target(
          g == null ? 0 : g, RevisionHash.of(md.getSpec()), md.getSpec().model.version);
    }
  }

  /** Parses {@code healthy}, {@code promoted}, {@code rolledback} or {@code phase=X}. */
  public static WaitCondition parse(String text) {
    String t = text.trim();
    if (t.regionMatches(true, 0, "phase=", 0, 6)) {
      String p = t.substring(6);
      Phase phase =
          Arrays.stream(Phase.values())
              .filter(x -> x.name().equalsIgnoreCase(p))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "unknown phase '"
                              + p
                              + "'; expected one of "
                              + Arrays.toString(Phase.values())));
      return new WaitCondition(Kind.PHASE, phase);
    }
    return switch (t.toLowerCase(Locale.ROOT)) {
      case "healthy" -> new WaitCondition(Kind.HEALTHY, null);
      case "promoted" -> new WaitCondition(Kind.PROMOTED, null);
      case "rolledback", "rolled-back" -> new WaitCondition(Kind.ROLLEDBACK, null);
      default ->
          throw new IllegalArgumentException(
              "--for must be healthy, promoted, rolledback or phase=<Phase>, not '" + text + "'");
    };
  }

  /** The result's name when the condition is met: PROMOTED, HEALTHY, ROLLED_BACK or PHASE. */
  String metName() {
    return kind == Kind.ROLLEDBACK ? "ROLLED_BACK" : kind.name();
  }

  @Override
  public String toString() {
    return kind == Kind.PHASE ? "phase=" + phase : kind.name().toLowerCase(Locale.ROOT);
  }

  /** The verdict on {@code md} (null: deleted) for what {@code target} describes. */
  public Verdict evaluate(Target target, ModelDeployment md) {
    if (md == null) {
      return new Verdict(Result.DELETED, "the ModelDeployment was deleted");
    }
    boolean revisionBound = kind == Kind.PROMOTED || kind == Kind.ROLLEDBACK;
    String now = RevisionHash.of(md.getSpec());
    if (revisionBound && !now.equals(target.revision())) {
      return new Verdict(
          Result.SUPERSEDED,
          "superseded: the spec now asks for version "
              + md.getSpec().model.version
              + " (revision "
              + now
              + ", generation "
              + md.getMetadata().getGeneration()
              + ") instead of "
              + target.version()
              + " (revision "
              + target.revision()
              + ")");
    }
    ModelDeploymentStatus st = md.getStatus();
    if (st == null
        || st.observedGeneration == null
        || st.observedGeneration < target.generation()) {
      return new Verdict(Result.WAITING, "the operator has not acted on the new spec yet");
    }
    if (kind == Kind.PHASE && st.phase == phase) {
      return new Verdict(Result.MET, "phase " + phase);
    }
    Condition invalid = find(st, Condition.INVALID_SPEC);
    if (invalid != null && invalid.isTrue() && !(kind == Kind.PHASE && phase == Phase.Degraded)) {
      return new Verdict(Result.INVALID_SPEC, "invalid spec: " + invalid.message);
    }
    boolean failed = target.revision().equals(st.failedRevision);
    boolean promoted =
        st.stable != null
            && target.revision().equals(st.stable.revision)
            && target.version().equals(st.stable.version)
            && st.canary == null;
    switch (kind) {
      case PROMOTED -> {
        if (promoted && st.phase == Phase.Healthy) {
          return new Verdict(Result.MET, "version " + target.version() + " promoted");
        }
      }
      case HEALTHY -> {
        if (st.phase == Phase.Healthy && st.canary == null) {
          return new Verdict(
              Result.MET,
              "healthy: version " + (st.stable == null ? "-" : st.stable.version) + " serving");
        }
      }
      case ROLLEDBACK -> {
        if (failed) {
          return new Verdict(Result.MET, ended(st, target));
        }
        if (promoted) {
          return new Verdict(
              Result.PROMOTED_INSTEAD,
              "version " + target.version() + " was promoted, not rolled back");
        }
        return new Verdict(Result.WAITING, st.message);
      }
      case PHASE -> {}
    }
    if (failed) {
      HistoryEntry h = last(st, target.revision());
      boolean aborted = h != null && h.outcome == HistoryEntry.Outcome.Aborted;
      return new Verdict(aborted ? Result.ABORTED : Result.ROLLED_BACK, ended(st, target));
    }
    return new Verdict(Result.WAITING, st.message);
  }

  private static String ended(ModelDeploymentStatus st, Target target) {
    HistoryEntry h = last(st, target.revision());
    String how = h != null && h.outcome == HistoryEntry.Outcome.Aborted ? "aborted" : "rolled back";
    return "version "
        + target.version()
        + " (revision "
        + target.revision()
        + ") "
        + how
        + (h == null || h.reason == null ? "" : ": " + h.reason);
  }

  /** The newest history entry of {@code revision}, or null. */
  static HistoryEntry last(ModelDeploymentStatus st, String revision) {
    return st.history.stream()
        .filter(h -> Objects.equals(h.revision, revision))
        .findFirst()
        .orElse(null);
  }

  private static Condition find(ModelDeploymentStatus st, String type) {
    return st.conditions.stream().filter(c -> type.equals(c.type)).findFirst().orElse(null);
  }
}
