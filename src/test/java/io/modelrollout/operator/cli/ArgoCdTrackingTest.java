package io.modelrollout.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@code set version} tells that Argo CD manages a ModelDeployment. */
class ArgoCdTrackingTest {
  @Test
  void trackingIdAnnotation() {
    ObjectMeta m =
        new ObjectMetaBuilder()
            .addToAnnotations(
                ArgoCdTracking.TRACKING_ID,
                "models:modelrollout.io/ModelDeployment:prod/fraud-detector")
            .build();
    assertThat(ArgoCdTracking.managedBy(m, null, "unknown"))
        .hasValueSatisfying(
            why ->
                assertThat(why).contains("argocd.argoproj.io/tracking-id=models:modelrollout.io/"));
  }

  @Test
  void serverSideApplyByArgoCd() {
    ObjectMeta m =
        new ObjectMetaBuilder()
            .withManagedFields(
                List.of(
                    new ManagedFieldsEntryBuilder()
                        .withManager("kubectl-client-side-apply")
                        .withOperation("Update")
                        .build(),
                    new ManagedFieldsEntryBuilder()
                        .withManager("argocd-controller")
                        .withOperation("Apply")
                        .build()))
            .build();
    assertThat(ArgoCdTracking.managedBy(m, "annotation", null))
        .hasValueSatisfying(why -> assertThat(why).contains("argocd-controller"));
  }

  @Test
  void instanceLabelCountsUnderALabelTrackingMethodOrWhenTheMethodIsUnknown() {
    ObjectMeta m =
        new ObjectMetaBuilder().addToLabels(ArgoCdTracking.INSTANCE_LABEL, "models").build();
    assertThat(ArgoCdTracking.managedBy(m, "label", null))
        .hasValueSatisfying(why -> assertThat(why).contains("resourceTrackingMethod is label"));
    assertThat(ArgoCdTracking.managedBy(m, "annotation+label", null)).isPresent();
    assertThat(ArgoCdTracking.managedBy(m, null, "cannot read argocd-cm in namespace argocd: 403"))
        .hasValueSatisfying(why -> assertThat(why).contains("cannot read argocd-cm"));
    assertThat(ArgoCdTracking.managedBy(m, "annotation", null))
        .as("annotation tracking ignores the label")
        .isEmpty();
  }

  @Test
  void plainObjectsAreNotManaged() {
    ObjectMeta m =
        new ObjectMetaBuilder()
            .addToLabels("team", "risk")
            .withManagedFields(
                List.of(new ManagedFieldsEntryBuilder().withManager("kubectl").build()))
            .build();
    assertThat(ArgoCdTracking.managedBy(m, null, "no argocd-cm")).isEmpty();
  }
}
