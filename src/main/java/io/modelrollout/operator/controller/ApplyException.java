package io.modelrollout.operator.controller;

/** A write the reconcile needed failed; the message says which write and why. */
public class ApplyException extends RuntimeException {
  public ApplyException(String what, RuntimeException cause) {
    super("cannot " + what + ": " + ObjectWriter.why(cause), cause);
  }
}
