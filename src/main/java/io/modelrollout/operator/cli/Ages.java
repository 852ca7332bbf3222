package io.modelrollout.operator.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Short human durations as kubectl prints them (45s, 3m12s, 2h5m, 4d) and RFC 3339 parsing. */
final class Ages {
  private Ages() {}

  static String human(Duration d) {
    if (d == null) {
      return "-";
    }
    long s = Math.max(0, d.getSeconds());
    if (s < 120) return s + "s";
    long m = s / 60;
    if (m < 10) return m + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
    if (m < 180) return m + "m";
    long h = m / 60;
    if (h < 8) return h + "h" + (m % 60 == 0 ? "" : (m % 60) + "m");
    if (h < 48) return h + "h";
    long days = h / 24;
    if (days < 8) return days + "d" + (h % 24 == 0 ? "" : (h % 24) + "h");
    return days + "d";
  }

  /** The age of {@code at} at {@code now}, or "-". */
  static String since(Instant at, Instant now) {
    return at == null ? "-" : human(Duration.between(at, now));
  }

  /** An RFC 3339 time, or null when absent or unreadable. */
  static Instant parse(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      try {
        return java.time.OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }
}
