package io.modelrollout.operator.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.Cloner;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The SDK hands each reconcile the cached ModelDeployment itself, not a deep copy: the copy (a JSON
 * round trip of the whole object) was an eighth of the operator's CPU under 500 gates. Nothing in a
 * reconcile changes the object it is given; status is built on copies ({@code StatusCopy}) and
 * written through new objects. Tests check that promise on every reconcile ({@link #checking}).
 */
public final class SharedPrimary implements Cloner {
  /** Set by tests (system property mro.checkPrimaryUnchanged): reconciles check the promise. */
  static final boolean CHECK = Boolean.getBoolean("mro.checkPrimaryUnchanged");

  private static final List<String> BROKEN = new CopyOnWriteArrayList<>();

  @Override
  public <R extends HasMetadata> R clone(R object) {
    return object;
  }

  /** The object as JSON before a reconcile when checking, else null. */
  static String checking(HasMetadata primary) {
    return CHECK ? Serialization.asJson(primary) : null;
  }

  /** Records a reconcile that changed the object it was given ({@code before}: from checking). */
  static void verify(String before, HasMetadata primary) {
    if (before != null && !before.equals(Serialization.asJson(primary))) {
      BROKEN.add(
          primary.getMetadata().getNamespace()
              + "/"
              + primary.getMetadata().getName()
              + ": "
              + before
              + " became "
              + Serialization.asJson(primary));
    }
  }

  /** The reconciles that changed the cached object so far (tests fail on any). */
  public static List<String> broken() {
    return List.copyOf(BROKEN);
  }
}
