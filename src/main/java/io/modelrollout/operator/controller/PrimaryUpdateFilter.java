package io.modelrollout.operator.controller;

import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.resources.Labels;
import java.util.Map;
import java.util.Objects;

/**
 * Reconciles a ModelDeployment when its spec (generation) or its action annotation changes;
 * status-only updates, which the operator makes itself, are ignored.
 */
public class PrimaryUpdateFilter implements OnUpdateFilter<ModelDeployment> {
  @Override
  public boolean accept(ModelDeployment updated, ModelDeployment old) {
    return !Objects.equals(updated.getMetadata().getGeneration(), old.getMetadata().getGeneration())
        || !Objects.equals(action(updated), action(old))
        || updated.getMetadata().getDeletionTimestamp() != null;
  }

  private static String action(ModelDeployment md) {
    Map<String, String> a = md.getMetadata().getAnnotations();
    return a == null ? null : a.get(Labels.ACTION_ANNOTATION);
  }
}
