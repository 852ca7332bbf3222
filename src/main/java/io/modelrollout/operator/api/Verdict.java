package io.modelrollout.operator.api;

/** The verdict of a gate. */
public enum Verdict {
  Pass,
  Fail,
  Inconclusive,
  Pending
}
