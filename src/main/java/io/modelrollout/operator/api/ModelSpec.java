package io.modelrollout.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Which model, at which version, a ModelDeployment serves. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelSpec {
  @Required
  @Size(min = 1, max = 128)
  @ValidationRule(
      value = "self.matches('^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$')",
      message =
          "model.name must start and end with a letter or digit and contain only letters,"
              + " digits, '.', '_' or '-'")
  @JsonPropertyDescription(
      "Name of the model, e.g. fraud-detector. Reaches the container as MODEL_NAME and the"
          + " pods as label modelrollout.io/model.")
  public String name;

  @Required
  @Size(min = 1, max = 128)
  @ValidationRule(
      value = "self.trim() == self && self != ''",
      message = "model.version must be non-empty and have no leading or trailing spaces")
  @JsonPropertyDescription(
      "Version of the model, e.g. 2.3.0. Changing it starts a rollout through the policy."
          + " Reaches the container as MODEL_VERSION.")
  public String version;

  @Size(max = 2048)
  @JsonPropertyDescription(
      "Where the model server loads the model from, e.g. s3://models/fraud/2.3.0. Reaches the"
          + " container as MODEL_URI.")
  public String uri;

  @Size(max = 64)
  @JsonPropertyDescription(
      "Framework of the model (sklearn, pytorch, onnx, ...). Informational; reaches the"
          + " container as MODEL_FRAMEWORK.")
  public String framework;
}
