package io.modelrollout.operator.analysis;

import java.time.Duration;
import java.util.Map;

/**
 * Where a query goes and how it authenticates.
 *
 * @param bearerToken a token for the Authorization header, or null
 * @param username basic-auth user, or null
 * @param caPem PEM certificates to trust, or null for the system trust store
 */
public record QueryTarget(
    String address,
    Duration timeout,
    String bearerToken,
    String username,
    String password,
    String caPem,
    Map<String, String> headers) {

  public static QueryTarget plain(String address, Duration timeout) {
    return new QueryTarget(address, timeout, null, null, null, null, Map.of());
  }
}
