package io.modelrollout.operator.status;

/** Event and condition reasons, in one place. */
public final class Reasons {
  public static final String ROLLOUT_STARTED = "RolloutStarted";
  public static final String STEP_ADVANCED = "StepAdvanced";
  public static final String TRAFFIC_WEIGHT_UPDATED = "TrafficWeightUpdated";
  public static final String GATE_PASSED = "GatePassed";
  public static final String GATE_FAILED = "GateFailed";
  public static final String GATE_INCONCLUSIVE = "GateInconclusive";
  public static final String ROLLOUT_PROMOTED = "RolloutPromoted";
  public static final String ROLLED_BACK = "RolledBack";
  public static final String ABORTED = "Aborted";
  public static final String ACTION_APPLIED = "ActionApplied";
  public static final String ACTION_REJECTED = "ActionRejected";
  public static final String INVALID_SPEC = "InvalidSpec";
  public static final String VALID = "Valid";
  public static final String PROGRESS_DEADLINE_EXCEEDED = "ProgressDeadlineExceeded";
  public static final String AVAILABLE = "Available";
  public static final String PODS_NOT_READY = "PodsNotReady";
  public static final String ROLLOUT_IN_PROGRESS = "RolloutInProgress";
  public static final String SCALING = "Scaling";
  public static final String IDLE = "Idle";
  public static final String USER_PAUSED = "UserPaused";
  public static final String SPEC_PAUSED = "SpecPaused";
  public static final String PAUSE_STEP = "PauseStep";
  public static final String NOT_PAUSED = "NotPaused";
  public static final String STABLE_FAILING = "StableFailing";
  public static final String HEALTHY = "Healthy";
  public static final String INITIALIZING = "Initializing";
  public static final String SCALED_TO_ZERO = "ScaledToZero";
  public static final String RECONCILE_FAILED = "ReconcileFailed";
  public static final String ROUTE_REMOVAL_FAILED = "RouteRemovalFailed";
  public static final String EXPERIMENT_DECIDED = "ExperimentDecided";
  public static final String SAMPLE_RATIO_MISMATCH = "SampleRatioMismatch";

  // --- modes (issue 12) ---
  public static final String VALIDATION_FAILED = "ValidationFailed";
  public static final String SCHEDULED = "Scheduled";
  public static final String SWITCHING = "Switching";
  public static final String RUN_FAILED = "RunFailed";
  public static final String RUN_SUCCEEDED = "RunSucceeded";
  public static final String STALE = "Stale";
  public static final String FRESH = "Fresh";
  public static final String NO_CRON_JOB = "NoCronJob";
  public static final String VALIDATION_STARTED = "ValidationStarted";
  public static final String VALIDATION_SUCCEEDED = "ValidationSucceeded";
  public static final String NODES_SKIPPED = "NodesSkipped";
  public static final String AUTOSCALER_RETARGETED = "AutoscalerRetargeted";

  private Reasons() {}
}
