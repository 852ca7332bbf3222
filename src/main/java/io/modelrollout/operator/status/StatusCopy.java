package io.modelrollout.operator.status;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.modelrollout.operator.api.ModelDeploymentStatus;

/** Deep copies of status objects, so the engine never mutates what it was given. */
public final class StatusCopy {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private StatusCopy() {}

  public static ModelDeploymentStatus of(ModelDeploymentStatus s) {
    if (s == null) {
      return new ModelDeploymentStatus();
    }
    return MAPPER.convertValue(s, ModelDeploymentStatus.class);
  }
}
