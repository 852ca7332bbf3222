package io.modelrollout.operator.rollout;

/** A request condition that pins a request to the canary: a header or a cookie, exact value. */
public record RouteMatchSpec(String name, String value, boolean cookie) {
  /** An RE2 regex on the Cookie header that holds exactly when the cookie has the value. */
  public String cookieRegex() {
    return "(^|.*;\\s*)" + literal(name) + "=" + literal(value) + "(;.*|$)";
  }

  /** Escapes regex metacharacters with backslashes (RE2 has no \Q...\E). */
  static String literal(String s) {
    return s.replaceAll("([\\\\.*+?^${}()|\\[\\]])", "\\\\$1");
  }
}
