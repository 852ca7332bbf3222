package io.modelrollout.operator.status;

/** A Kubernetes Event to emit: Normal or Warning, a reason and a message. */
public record EventSpec(boolean warning, String reason, String message) {
  public static EventSpec normal(String reason, String message) {
    return new EventSpec(false, reason, message);
  }

  public static EventSpec warning(String reason, String message) {
    return new EventSpec(true, reason, message);
  }
}
