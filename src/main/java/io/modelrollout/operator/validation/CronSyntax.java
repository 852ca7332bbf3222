package io.modelrollout.operator.validation;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks a CronJob schedule as the API server does (five fields, or a macro), with each field's
 * range, so that a schedule the API server would refuse is an InvalidSpec before the CronJob is
 * written. Pure; returns what is wrong, or null.
 */
final class CronSyntax {
  static final List<String> MACROS =
      List.of("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly");

  private record Field(String name, int min, int max, Map<String, Integer> names) {}

  private static final List<Field> FIELDS =
      List.of(
          new Field("minute", 0, 59, Map.of()),
          new Field("hour", 0, 23, Map.of()),
          new Field("day-of-month", 1, 31, Map.of()),
          new Field("month", 1, 12, names("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC", 1)),
          new Field("day-of-week", 0, 6, names("SUN MON TUE WED THU FRI SAT", 0)));

  private CronSyntax() {}

  /** What is wrong with {@code schedule}, or null when the API server would take it. */
  static String problem(String schedule) {
    String cron = schedule == null ? "" : schedule.trim();
    if (MACROS.contains(cron)) {
      return null;
    }
    String[] fields = cron.split("\\s+");
    if (fields.length != FIELDS.size()) {
      return "five fields (minute hour day-of-month month day-of-week) or one of "
          + String.join(", ", MACROS);
    }
    for (int i = 0; i < fields.length; i++) {
      for (String part : fields[i].split(",", -1)) {
        String p = part(FIELDS.get(i), part);
        if (p != null) {
          return p;
        }
      }
    }
    return null;
  }

  /** One element of a list: {@code *}, {@code ?}, {@code a} or {@code a-b}, then {@code /step}. */
  private static String part(Field f, String part) {
    String[] stepped = part.split("/", -1);
    if (stepped.length > 2 || stepped[0].isEmpty()) {
      return shape(f, part);
    }
    if (stepped.length == 2) {
      Integer step = number(stepped[1]);
      if (step == null) {
        return shape(f, part);
      }
      if (step < 1) {
        return f.name() + " '" + part + "': the step must be at least 1";
      }
    }
    String range = stepped[0];
    if (range.equals("*") || range.equals("?")) {
      return null;
    }
    String[] bounds = range.split("-", -1);
    if (bounds.length > 2) {
      return shape(f, part);
    }
    Integer low = value(f, bounds[0]);
    Integer high = bounds.length == 2 ? value(f, bounds[1]) : low;
    if (low == null || high == null) {
      return shape(f, part);
    }
    for (int v : new int[] {low, high}) {
      if (v < f.min() || v > f.max()) {
        return f.name() + " " + v + " is outside " + f.min() + "-" + f.max();
      }
    }
    if (low > high) {
      return f.name() + " range " + range + " runs backwards";
    }
    return null;
  }

  private static String shape(Field f, String part) {
    return f.name()
        + " '"
        + part
        + "' is not *, a number, a range a-b or a list of them, with an optional /step";
  }

  private static Integer value(Field f, String text) {
    Integer named = f.names().get(text.toUpperCase(Locale.ROOT));
    return named != null ? named : number(text);
  }

  private static Integer number(String text) {
    if (text.isEmpty() || text.length() > 4 || !text.chars().allMatch(Character::isDigit)) {
      return null;
    }
    return Integer.parseInt(text);
  }

  private static Map<String, Integer> names(String words, int first) {
    String[] w = words.split(" ");
    Map<String, Integer> out = new java.util.HashMap<>();
    for (int i = 0; i < w.length; i++) {
      out.put(w[i], first + i);
    }
    return Map.copyOf(out);
  }
}
