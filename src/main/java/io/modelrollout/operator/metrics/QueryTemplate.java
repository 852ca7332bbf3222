package io.modelrollout.operator.metrics;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills {@code {{name}}}-style placeholders in a PromQL query. Values are escaped for a
 * double-quoted PromQL string (backslash, double quote, control characters), so a crafted label
 * value stays inside its label matcher and cannot change the query. Templates must put placeholders
 * inside double quotes, e.g. {@code model="{{model}}"}.
 */
public final class QueryTemplate {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-zA-Z]+)\\s*}}");

  private QueryTemplate() {}

  /** The query with each known placeholder replaced; unknown ones are an error. */
  public static String render(String template, Map<String, String> vars) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String key = m.group(1);
      if (!vars.containsKey(key)) {
        throw new IllegalArgumentException(
            "unknown placeholder {{" + key + "}}; known: " + String.join(", ", vars.keySet()));
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(escape(vars.get(key))));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /** Escapes a value for use inside a double-quoted PromQL string. */
  public static String escape(String value) {
    if (value == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(value.length() + 8);
    for (char c : value.toCharArray()) {
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append("\\\"");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
