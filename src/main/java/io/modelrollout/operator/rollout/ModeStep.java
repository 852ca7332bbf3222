package io.modelrollout.operator.rollout;

/** One step of a Batch or Edge rollout (see {@link ModePlan}). */
public sealed interface ModeStep {
  /** The step in words, for status and events. */
  String describe();

  /** Batch: run the new version once as a validation Job; done when the Job succeeds. */
  record Validate() implements ModeStep {
    public String describe() {
      return "validation Job";
    }
  }

  /**
   * Batch: the CronJob takes the new version between two runs (suspend, wait for the active run,
   * update, resume); done when it has; the version is then in service.
   */
  record Switch() implements ModeStep {
    public String describe() {
      return "switch the CronJob";
    }
  }

  /**
   * Edge: {@code percent} of the fleet's nodes run the new version; the last step (100%) promotes.
   */
  record Nodes(int percent, boolean promote) implements ModeStep {
    public String describe() {
      return promote ? "promote (all nodes)" : "setNodePercent " + percent;
    }
  }

  /** A pause or an analysis of the policy, run exactly as for the canary. */
  record Policy(Stage stage) implements ModeStep {
    public String describe() {
      return stage.describe();
    }
  }
}
