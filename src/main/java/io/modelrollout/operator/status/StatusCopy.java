package io.modelrollout.operator.status;

import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.support.Json;

/** Deep copies of status objects, so the engine never mutates what it was given. */
public final class StatusCopy {
  private StatusCopy() {}

  public static ModelDeploymentStatus of(ModelDeploymentStatus s) {
    return s == null ? new ModelDeploymentStatus() : Json.copy(s, ModelDeploymentStatus.class);
  }
}
