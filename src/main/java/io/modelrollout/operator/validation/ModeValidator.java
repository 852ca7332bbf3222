package io.modelrollout.operator.validation;

import io.modelrollout.operator.api.BatchSpec;
import io.modelrollout.operator.api.CanarySpec;
import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.DeploymentMode;
import io.modelrollout.operator.api.Durations;
import io.modelrollout.operator.api.ModelDeploymentSpec;
import io.modelrollout.operator.api.RolloutPolicySpec;
import io.modelrollout.operator.api.RolloutStrategy;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Checks what the CRD schema cannot see for the Batch and Edge modes (pure), and the mode-specific
 * parts of an online spec. Returns messages, never throws.
 */
public final class ModeValidator {
  private ModeValidator() {}

  /**
   * What the validator needs to know about the world.
   *
   * @param edgeEnabled the operator may watch and label nodes (MRO_EDGE_ENABLED)
   */
  public record World(
      String namespace,
      RolloutPolicySpec policy,
      String missingPolicy,
      String defaultPrometheus,
      boolean edgeEnabled) {}

  /** A Batch or an Edge spec. */
  public static List<String> validate(ModelDeploymentSpec spec, World world) {
    List<String> problems = new ArrayList<>();
    if (spec.model == null || blank(spec.model.name) || blank(spec.model.version)) {
      problems.add("spec.model.name and spec.model.version are required");
    }
    if (spec.template == null
        || spec.template.getSpec() == null
        || spec.template.getSpec().getContainers() == null
        || spec.template.getSpec().getContainers().isEmpty()) {
      problems.add("spec.template.spec.containers needs at least one container");
    }
    if (world.missingPolicy() != null) {
      problems.add(
          "RolloutPolicy '"
              + world.missingPolicy()
              + "' not found in namespace '"
              + world.namespace()
              + "'");
    }
    RolloutPolicySpec p = world.policy();
    if (p != null) {
      SpecValidator.policy(p, world.defaultPrometheus(), problems::add);
    }
    if (spec.modeOrDefault() == DeploymentMode.Batch) {
      batch(spec.batch, p, problems::add);
    } else {
      edge(spec, p, world.edgeEnabled(), problems::add);
    }
    return problems;
  }

  /** The mode-specific checks of an online spec's policy. */
  public static void online(RolloutPolicySpec p, Consumer<String> problems) {
    if (p == null) {
      return;
    }
    // the canary's steps, or a shadow's follow-up canary's
    for (CanarySpec c : java.util.Arrays.asList(p.canary, ShadowChecks.steps(p))) {
      if (c != null
          && c.steps != null
          && c.steps.stream().anyMatch(s -> s.setNodePercent != null)) {
        problems.accept(
            "setNodePercent is for mode Edge; an online canary moves traffic with setWeight");
        return;
      }
    }
  }

  private static void batch(BatchSpec b, RolloutPolicySpec p, Consumer<String> problems) {
    if (b == null) {
      problems.accept("mode Batch needs spec.batch");
      return;
    }
    String cron = CronSyntax.problem(b.schedule);
    if (cron != null) {
      problems.accept("batch.schedule '" + b.schedule + "' is not a cron schedule: " + cron);
    }
    // an IANA name, as the API server wants: Java would also take offsets such as +02:00
    if (b.timeZone != null && !ZoneId.getAvailableZoneIds().contains(b.timeZone)) {
      problems.accept("batch.timeZone '" + b.timeZone + "' is not an IANA time zone");
    }
    duration("batch.maxStaleness", b.maxStaleness, problems);
    if (b.validation != null) {
      duration("batch.validation.deadline", b.validation.deadline, problems);
    }
    if (p != null) {
      if (p.strategy != RolloutStrategy.Canary && p.strategy != RolloutStrategy.BlueGreen) {
        problems.accept(
            "strategy " + p.strategy + " is not supported in mode Batch; use Canary or BlueGreen");
      }
      if (p.strategy == RolloutStrategy.BlueGreen
          && p.blueGreen != null
          && p.blueGreen.postPromotionGates != null
          && !p.blueGreen.postPromotionGates.isEmpty()) {
        problems.accept(
            "blueGreen.postPromotionGates have no meaning in mode Batch: a version's gates run"
                + " on its validation Job, before it takes over the schedule (use"
                + " prePromotionGates)");
      }
    }
  }

  private static void edge(
      ModelDeploymentSpec spec, RolloutPolicySpec p, boolean enabled, Consumer<String> problems) {
    if (!enabled) {
      problems.accept(
          "mode Edge needs the operator's node permissions, which this installation does not"
              + " grant: install the chart with edge.enabled=true (MRO_EDGE_ENABLED=true)");
    }
    if (spec.edge == null || spec.edge.nodeSelector == null || spec.edge.nodeSelector.isEmpty()) {
      problems.accept("mode Edge needs spec.edge.nodeSelector: it selects the fleet");
    }
    var t = spec.template == null ? null : spec.template.getSpec();
    if (t != null
        && t.getAffinity() != null
        && t.getAffinity().getNodeAffinity() != null
        && t.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
            != null) {
      problems.accept(
          "in mode Edge the operator steers pods to nodes by node affinity: select the fleet with"
              + " edge.nodeSelector instead of the template's"
              + " requiredDuringSchedulingIgnoredDuringExecution");
    }
    if (p == null) {
      return;
    }
    if (p.strategy != RolloutStrategy.Canary) {
      problems.accept(
          "mode Edge rolls out node by node: use strategy Canary with setNodePercent steps, not "
              + p.strategy);
      return;
    }
    if (p.canary != null && p.canary.steps != null) {
      for (CanaryStep s : p.canary.steps) {
        if (s.setWeight != null || s.setMirror != null || s.setHeaderRoute != null) {
          problems.accept(
              "mode Edge moves nodes, not traffic: use setNodePercent instead of setWeight,"
                  + " setMirror or setHeaderRoute");
          return;
        }
      }
    }
  }

  private static void duration(String field, String value, Consumer<String> problems) {
    if (value == null) {
      return;
    }
    try {
      Durations.parse(value);
    } catch (IllegalArgumentException e) {
      problems.accept(field + ": " + e.getMessage());
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
