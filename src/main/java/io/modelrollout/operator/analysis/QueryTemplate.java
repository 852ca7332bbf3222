package io.modelrollout.operator.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills {@code {{name}}}-style placeholders in a PromQL query. A placeholder must sit inside a
 * quoted string (a label value); its value is escaped for that string (double quotes, single quotes
 * or backticks) and, inside a regex matcher ({@code =~} or {@code !~}), its regex metacharacters
 * are escaped first, so a crafted or dotted value ({@code 2.3.0+build}) matches itself and nothing
 * else and cannot change the query.
 */
public final class QueryTemplate {
  /** The placeholders a query may use. */
  public static final List<String> NAMES =
      List.of("name", "namespace", "model", "version", "versionLabel", "revision", "variant");

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-zA-Z]+)\\s*}}");
  private static final String REGEX_META = "\\.+*?()|[]{}^$";

  private QueryTemplate() {}

  /** Where in the query a placeholder sits. */
  private enum Quote {
    NONE,
    DOUBLE,
    SINGLE,
    BACKTICK
  }

  private record Context(Quote quote, boolean regex) {}

  /** The query with each placeholder replaced; an unknown or unquoted one is an error. */
  public static String render(String template, Map<String, String> vars) {
    Context[] contexts = contexts(template);
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String key = m.group(1);
      if (!vars.containsKey(key)) {
        throw new IllegalArgumentException(
            "unknown placeholder {{" + key + "}}; known: " + String.join(", ", vars.keySet()));
      }
      Context c = contexts[m.start()];
      if (c.quote() == Quote.NONE) {
        throw new IllegalArgumentException(unquotedMessage(key));
      }
      String value = vars.get(key) == null ? "" : vars.get(key);
      if (c.regex()) {
        value = regexLiteral(value);
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(quote(value, c.quote(), key)));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /** What is wrong with a template: unknown placeholders, placeholders outside quotes. */
  public static List<String> problems(String template) {
    List<String> out = new ArrayList<>();
    Context[] contexts = contexts(template);
    Matcher m = PLACEHOLDER.matcher(template);
    while (m.find()) {
      String key = m.group(1);
      if (!NAMES.contains(key)) {
        out.add("unknown placeholder {{" + key + "}}; known: " + String.join(", ", NAMES));
      } else if (contexts[m.start()].quote() == Quote.NONE) {
        out.add(unquotedMessage(key));
      }
    }
    return out;
  }

  /** Escapes a value for use inside a double-quoted PromQL string. */
  public static String escape(String value) {
    return quote(value == null ? "" : value, Quote.DOUBLE, "value");
  }

  /** Escapes RE2 metacharacters, so the value matches itself literally. */
  static String regexLiteral(String value) {
    StringBuilder sb = new StringBuilder(value.length() + 8);
    for (char c : value.toCharArray()) {
      if (REGEX_META.indexOf(c) >= 0) {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.toString();
  }

  private static String quote(String value, Quote q, String key) {
    if (q == Quote.BACKTICK) {
      if (value.indexOf('`') >= 0) {
        throw new IllegalArgumentException(
            "the value of {{"
                + key
                + "}} contains a backtick, which a `raw string` cannot hold;"
                + " put the placeholder in double quotes");
      }
      return value;
    }
    StringBuilder sb = new StringBuilder(value.length() + 8);
    for (char c : value.toCharArray()) {
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append(q == Quote.DOUBLE ? "\\\"" : "\"");
        case '\'' -> sb.append(q == Quote.SINGLE ? "\\'" : "'");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  private static String unquotedMessage(String key) {
    return "placeholder {{"
        + key
        + "}} must be inside a quoted label value, e.g. version=\"{{"
        + key
        + "}}\"";
  }

  /** For each position of the template: inside which string, and whether a regex matcher's. */
  private static Context[] contexts(String t) {
    Context[] out = new Context[t.length() + 1];
    Context outside = new Context(Quote.NONE, false);
    Context current = outside;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (current.quote() == Quote.NONE) {
        out[i] = outside;
        Quote q =
            c == '"' ? Quote.DOUBLE : c == '\'' ? Quote.SINGLE : c == '`' ? Quote.BACKTICK : null;
        if (q != null) {
          current = new Context(q, regexOperatorBefore(t, i));
        }
        continue;
      }
      out[i] = current;
      if (c == '\\' && current.quote() != Quote.BACKTICK && i + 1 < t.length()) {
        out[++i] = current;
      } else if ((c == '"' && current.quote() == Quote.DOUBLE)
          || (c == '\'' && current.quote() == Quote.SINGLE)
          || (c == '`' && current.quote() == Quote.BACKTICK)) {
        current = outside;
      }
    }
    out[t.length()] = current;
    return out;
  }

  private static boolean regexOperatorBefore(String t, int quote) {
    int j = quote - 1;
    while (j >= 0 && Character.isWhitespace(t.charAt(j))) {
      j--;
    }
    return j >= 1 && t.charAt(j) == '~' && (t.charAt(j - 1) == '=' || t.charAt(j - 1) == '!');
  }
}
