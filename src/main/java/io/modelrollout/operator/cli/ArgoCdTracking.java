package io.modelrollout.operator.cli;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.Map;
import java.util.Optional;

/**
 * Whether Argo CD manages an object, and why we think so (pure): the tracking-id annotation, the
 * instance label under a label tracking method, or fields owned by Argo CD's server-side apply.
 */
public final class ArgoCdTracking {
  public static final String TRACKING_ID = "argocd.argoproj.io/tracking-id";
  public static final String INSTANCE_LABEL = "app.kubernetes.io/instance";
  public static final String FIELD_MANAGER = "argocd-controller";

  private ArgoCdTracking() {}

  /**
   * Why Argo CD manages the object, or empty.
   *
   * @param trackingMethod argocd-cm's {@code application.resourceTrackingMethod} (label,
   *     annotation, annotation+label), or null when it could not be read
   * @param unknownWhy why the tracking method is unknown, for the message
   */
  public static Optional<String> managedBy(
      ObjectMeta meta, String trackingMethod, String unknownWhy) {
    Map<String, String> annotations = meta.getAnnotations();
    if (annotations != null && annotations.containsKey(TRACKING_ID)) {
      return Optional.of(
          "it carries the annotation "
              + TRACKING_ID
              + "="
              + annotations.get(TRACKING_ID)
              + ", by which Argo CD tracks the objects of an Application");
    }
    if (meta.getManagedFields() != null) {
      for (ManagedFieldsEntry f : meta.getManagedFields()) {
        if (FIELD_MANAGER.equals(f.getManager())) {
          return Optional.of(
              "its fields are managed by "
                  + FIELD_MANAGER
                  + " (Argo CD's server-side apply, operation "
                  + f.getOperation()
                  + ")");
        }
      }
    }
    Map<String, String> labels = meta.getLabels();
    if (labels != null && labels.containsKey(INSTANCE_LABEL)) {
      String label = INSTANCE_LABEL + "=" + labels.get(INSTANCE_LABEL);
      if (trackingMethod == null) {
        return Optional.of(
            "it carries the label "
                + label
                + ", by which Argo CD tracks objects with its label tracking method, and Argo"
                + " CD's tracking method is unknown ("
                + unknownWhy
                + ")");
      }
      if (trackingMethod.contains("label")) {
        return Optional.of(
            "it carries the label "
                + label
                + " and Argo CD's resourceTrackingMethod is "
                + trackingMethod);
      }
    }
    return Optional.empty();
  }
}
