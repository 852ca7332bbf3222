package io.modelrollout.operator.cli;

import io.modelrollout.operator.api.Condition;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.api.ModelDeploymentStatus.ActionRecord;
import java.util.Map;
import java.util.Objects;

/**
 * Whether the operator has acknowledged an action set through the annotation (pure): {@code
 * status.lastAction} names this action and differs from the one before ({@code at} or {@code
 * resourceVersion}), and the annotation is gone.
 */
public final class ActionAck {
  public static final String ANNOTATION = "modelrollout.io/action";

  private ActionAck() {}

  /** Where an action stands. */
  public enum State {
    WAITING,
    APPLIED,
    REJECTED,
    INVALID_SPEC,
    DELETED
  }

  /** A state, and the operator's sentence about it. */
  public record Ack(State state, String message) {}

  /**
   * @param before the ModelDeployment before the annotation was set
   * @param now the ModelDeployment now, or null when deleted
   */
  public static Ack evaluate(String action, ModelDeployment before, ModelDeployment now) {
    if (now == null) {
      return new Ack(State.DELETED, "the ModelDeployment was deleted");
    }
    ActionRecord was = before.getStatus() == null ? null : before.getStatus().lastAction;
    ModelDeploymentStatus st = now.getStatus();
    ActionRecord is = st == null ? null : st.lastAction;
    boolean annotationGone = !action.equals(annotation(now));
    boolean alreadyHandled = alreadyHandled(action, before);
    boolean recorded =
        is != null
            && action.equals(is.action)
            && (alreadyHandled
                || was == null
                || !Objects.equals(was.at, is.at)
                || !Objects.equals(was.resourceVersion, is.resourceVersion));
    if (recorded && annotationGone) {
      return Boolean.TRUE.equals(is.rejected)
          ? new Ack(State.REJECTED, is.message)
          : new Ack(State.APPLIED, is.message);
    }
    if (!recorded && st != null) {
      Condition invalid =
          st.conditions.stream()
              .filter(c -> Condition.INVALID_SPEC.equals(c.type))
              .findFirst()
              .orElse(null);
      Long g = now.getMetadata().getGeneration();
      if (invalid != null
          && invalid.isTrue()
          && st.observedGeneration != null
          && g != null
          && st.observedGeneration >= g) {
        return new Ack(
            State.INVALID_SPEC,
            "the operator does not act on actions while the spec is invalid: " + invalid.message);
      }
    }
    return new Ack(State.WAITING, null);
  }

  /**
   * True when {@code md} carries this action's annotation and status says it was applied and its
   * annotation is only still to be removed: setting it again changes nothing, so only the removal
   * is awaited.
   */
  static boolean alreadyHandled(String action, ModelDeployment md) {
    ActionRecord was = md.getStatus() == null ? null : md.getStatus().lastAction;
    return action.equals(annotation(md))
        && was != null
        && action.equals(was.action)
        && Boolean.TRUE.equals(was.pending);
  }

  static String annotation(ModelDeployment md) {
    Map<String, String> a = md.getMetadata().getAnnotations();
    return a == null ? null : a.get(ANNOTATION);
  }
}
