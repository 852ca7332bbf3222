package io.modelrollout.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Which requests are mirrored: all conditions set must hold (method, path prefix, headers). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "has(self.method) || has(self.pathPrefix) || (has(self.headers) && size(self.headers) > 0)",
    message = "a mirror match sets at least one of method, pathPrefix or headers")
public class RequestMatch {
  @ValidationRule(
      value =
          "self in ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']",
      message = "method must be an upper-case HTTP method such as GET or POST")
  @JsonPropertyDescription("HTTP method, e.g. POST for predictions (exact, upper case).")
  public String method;

  @Size(min = 1, max = 1024)
  @ValidationRule(value = "self.startsWith('/')", message = "pathPrefix must start with /")
  @JsonPropertyDescription("Path prefix, e.g. /v2/models/fraud/infer.")
  public String pathPrefix;

  @Size(max = 8)
  @JsonPropertyDescription("Headers with exact values that must all be present.")
  public List<CanaryStep.NameValue> headers;
}
