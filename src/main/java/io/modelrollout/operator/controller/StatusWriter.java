package io.modelrollout.operator.controller;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.resources.Labels;
import io.modelrollout.operator.support.Json;

/**
 * Writes status by server-side apply on the status subresource, without a resourceVersion: the
 * operator owns status, so a spec edited meanwhile is no conflict (the edit triggers the next
 * reconcile). Removes a handled action annotation, only if it still holds the handled value.
 */
public class StatusWriter {

  public static boolean changed(ModelDeploymentStatus before, ModelDeploymentStatus after) {
    return before == null ? after != null : !Json.same(before, after);
  }

  public ModelDeployment write(
      ModelDeployment md, ModelDeploymentStatus status, Context<ModelDeployment> ctx) {
    ModelDeployment patch = new ModelDeployment();
    patch.setMetadata(
        new ObjectMetaBuilder()
            .withName(md.getMetadata().getName())
            .withNamespace(md.getMetadata().getNamespace())
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
            + Serialization.asJson(value)
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
