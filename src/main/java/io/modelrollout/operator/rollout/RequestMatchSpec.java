package io.modelrollout.operator.rollout;

import java.util.List;

/**
 * Which requests are mirrored: all of method, path prefix and exact headers that are set (null or
 * empty: any).
 */
public record RequestMatchSpec(String method, String pathPrefix, List<RouteMatchSpec> headers) {
  public RequestMatchSpec {
    headers = headers == null ? List.of() : List.copyOf(headers);
  }
}
