package io.modelrollout.operator.rollout;

/** What a reconcile observed of the objects of a Batch or an Edge ModelDeployment (pure data). */
public sealed interface ModeObserved permits BatchObserved, EdgeObserved {}
