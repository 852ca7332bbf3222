package io.modelrollout.operator.api;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the duration strings of the API (30s, 5m, 1h30m, 250ms) into java.time.Duration. */
public final class Durations {
  /** The CEL rule the CRD uses for every duration field. */
  public static final String RULE = "self.matches('^([0-9]+(ms|s|m|h))+$')";

  public static final String MESSAGE = "must be a duration such as 30s, 5m, 1h30m or 500ms";

  private static final Pattern PART = Pattern.compile("([0-9]+)(ms|s|m|h)");
  private static final Pattern WHOLE = Pattern.compile("^([0-9]+(ms|s|m|h))+$");

  private Durations() {}

  /** Parses a duration; throws IllegalArgumentException with a readable message if invalid. */
  public static Duration parse(String text) {
    if (text == null || !WHOLE.matcher(text).matches()) {
      throw new IllegalArgumentException("'" + text + "' " + MESSAGE);
    }
    Duration total = Duration.ZERO;
    Matcher m = PART.matcher(text);
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      total =
          switch (m.group(2)) {
            case "ms" -> total.plusMillis(n);
            case "s" -> total.plusSeconds(n);
            case "m" -> total.plusMinutes(n);
            default -> total.plusHours(n);
          };
    }
    return total;
  }

  /** Parses {@code text}, or returns {@code fallback} when it is null. */
  public static Duration parseOr(String text, Duration fallback) {
    return text == null ? fallback : parse(text);
  }

  /** Formats a duration the way the API writes it (1h30m, 45s, 250ms). */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    long h = d.toHours();
    long m = d.toMinutesPart();
    long s = d.toSecondsPart();
    long ms = d.toMillisPart();
    if (h > 0) sb.append(h).append('h');
    if (m > 0) sb.append(m).append('m');
    if (s > 0) sb.append(s).append('s');
    if (ms > 0) sb.append(ms).append("ms");
    return sb.toString();
  }
}
