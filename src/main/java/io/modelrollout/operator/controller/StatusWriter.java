package io.modelrollout.operator.controller;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.resources.Labels;
import io.modelrollout.operator.resources.RevisionHash;
import java.util.Objects;

/**
 * Writes status (server-side apply on the status subresource, guarded by resourceVersion) only when
 * it changed, and removes a handled action annotation.
 */
public class StatusWriter {

  public static boolean changed(ModelDeploymentStatus before, ModelDeploymentStatus after) {
    if (before == null) {
      return after != null;
    }
    return !Objects.equals(RevisionHash.canonicalJson(before), RevisionHash.canonicalJson(after));
  }

  /**
   * Patches the status; a conflict (someone changed the object) fails the reconcile for a retry.
   */
  public ModelDeployment write(
      ModelDeployment md, ModelDeploymentStatus status, Context<ModelDeployment> ctx) {
    ModelDeployment patch = new ModelDeployment();
    patch.setMetadata(
        new ObjectMetaBuilder()
            .withName(md.getMetadata().getName())
            .withNamespace(md.getMetadata().getNamespace())
            .withResourceVersion(md.getMetadata().getResourceVersion())
            .build());
    patch.setStatus(status);
    ModelDeployment updated =
        ctx.getClient()
            .resource(patch)
            .subresource("status")
            .patch(
                new PatchContext.Builder()
                    .withPatchType(PatchType.SERVER_SIDE_APPLY)
                    .withFieldManager(OperatorSettings.FIELD_MANAGER)
                    .withForce(true)
                    .build());
    ctx.eventSourceRetriever()
        .getControllerEventSource()
        .handleRecentResourceUpdate(ResourceID.fromResource(md), updated, md);
    return updated;
  }

  /** Removes the action annotation if it still holds {@code value}; returns the updated object. */
  public ModelDeployment removeAction(
      ModelDeployment md, String value, Context<ModelDeployment> ctx) {
    String path =
        "/metadata/annotations/" + Labels.ACTION_ANNOTATION.replace("~", "~0").replace("/", "~1");
    String json =
        "[{\"op\":\"test\",\"path\":\""
            + path
            + "\",\"value\":"
            + io.fabric8.kubernetes.client.utils.Serialization.asJson(value)
            + "},{\"op\":\"remove\",\"path\":\""
            + path
            + "\"}]";
    ModelDeployment updated =
        ctx.getClient()
            .resource(md)
            .patch(
                new PatchContext.Builder()
                    .withPatchType(PatchType.JSON)
                    .withFieldManager(OperatorSettings.FIELD_MANAGER)
                    .build(),
                json);
    ctx.eventSourceRetriever()
        .getControllerEventSource()
        .handleRecentResourceUpdate(ResourceID.fromResource(md), updated, md);
    return updated;
  }
}
