package io.modelrollout.operator.rollout;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** A manual action requested through the annotation {@code modelrollout.io/action}. */
public enum Action {
  PROMOTE("promote"),
  PROMOTE_FULL("promote-full"),
  ABORT("abort"),
  RETRY("retry"),
  PAUSE("pause"),
  RESUME("resume"),
  /** Batch mode: the CronJob goes back to the previous version's job template. */
  ROLLBACK("rollback");

  private final String value;

  Action(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  /** The action named by an annotation value, if it names one. */
  public static Optional<Action> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String t = text.trim().toLowerCase();
    return Arrays.stream(values()).filter(a -> a.value.equals(t)).findFirst();
  }

  /** The accepted values, for error messages. */
  public static String accepted() {
    return Arrays.stream(values()).map(Action::value).collect(Collectors.joining(", "));
  }
}
