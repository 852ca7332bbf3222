package io.modelrollout.operator.cli;

import io.modelrollout.operator.api.HistoryEntry.Outcome;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.api.Verdict;

/** Colours and markers: ANSI and symbols on a terminal, plain ASCII text everywhere else. */
public final class Style {
  public static final Style PLAIN = new Style(false);
  public static final Style TERMINAL = new Style(true);

  private static final String RESET = "\u001b[0m";
  private static final String BOLD = "\u001b[1m";
  private static final String DIM = "\u001b[2m";
  private static final String RED = "\u001b[31m";
  private static final String GREEN = "\u001b[32m";
  private static final String YELLOW = "\u001b[33m";
  private static final String BLUE = "\u001b[34m";
  private static final String CYAN = "\u001b[36m";

  private final boolean ansi;

  private Style(boolean ansi) {
    this.ansi = ansi;
  }

  public boolean ansi() {
    return ansi;
  }

  String bold(String s) {
    return wrap(BOLD, s);
  }

  String dim(String s) {
    return wrap(DIM, s);
  }

  String red(String s) {
    return wrap(RED, s);
  }

  String green(String s) {
    return wrap(GREEN, s);
  }

  String yellow(String s) {
    return wrap(YELLOW, s);
  }

  String phase(Phase p) {
    if (p == null) {
      return dim("-");
    }
    return switch (p) {
      case Healthy -> wrap(GREEN, p.name());
      case Progressing -> wrap(CYAN, p.name());
      case Initializing -> wrap(BLUE, p.name());
      case Paused -> wrap(YELLOW, p.name());
      case Degraded, RolledBack -> wrap(RED + BOLD, p.name());
    };
  }

  String verdict(Verdict v) {
    if (v == null) {
      return dim("-");
    }
    return switch (v) {
      case Pass -> wrap(GREEN, v.name());
      case Fail -> wrap(RED + BOLD, v.name());
      case Inconclusive -> wrap(YELLOW, v.name());
      case Pending -> dim(v.name());
    };
  }

  String outcome(Outcome o) {
    if (o == null) {
      return "-";
    }
    return switch (o) {
      case Promoted -> wrap(GREEN, o.name());
      case RolledBack -> wrap(RED, o.name());
      case Aborted -> wrap(YELLOW, o.name());
    };
  }

  /** A batch run's or validation Job's outcome. */
  String runOutcome(io.modelrollout.operator.api.BatchStatus.Outcome o) {
    if (o == null) {
      return "-";
    }
    return switch (o) {
      case Succeeded -> wrap(GREEN, o.name());
      case Failed -> wrap(RED + BOLD, o.name());
      case Running -> wrap(CYAN, o.name());
      case Pending -> dim(o.name());
    };
  }

  /** An A/B test's decision. */
  String decision(io.modelrollout.operator.api.ExperimentStatus.Decision d) {
    if (d == null) {
      return dim("-");
    }
    return switch (d) {
      case Running -> wrap(CYAN, d.name());
      case TreatmentWins -> wrap(GREEN, d.name());
      case ControlWins, Invalid -> wrap(RED + BOLD, d.name());
      case NoDifference, Inconclusive -> wrap(YELLOW, d.name());
    };
  }

  String eventType(String type) {
    return "Warning".equals(type) ? wrap(YELLOW, type) : type;
  }

  /** The marker of a step: done, current, or still to come. */
  String stepMarker(StepState s) {
    return switch (s) {
      case DONE -> ansi ? wrap(GREEN, "✔") : "+";
      case CURRENT -> ansi ? wrap(CYAN + BOLD, "▶") : ">";
      case PENDING -> ansi ? dim("○") : " ";
      case NONE -> " ";
    };
  }

  private String wrap(String code, String s) {
    return ansi ? code + s + RESET : s;
  }

  /** The visible width of {@code s}: its length without ANSI escape sequences. */
  static int width(String s) {
    int w = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\u001b') {
        i = skipEscape(s, i);
      } else {
        w++;
      }
    }
    return w;
  }

  /** {@code s} cut to {@code max} visible characters, escape sequences kept. */
  static String truncate(String s, int max) {
    if (width(s) <= max) {
      return s;
    }
    StringBuilder out = new StringBuilder();
    int w = 0;
    boolean escaped = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\u001b') {
        int end = skipEscape(s, i);
        out.append(s, i, end + 1);
        escaped = true;
        i = end;
      } else if (w < max - 1) {
        out.append(c);
        w++;
      } else {
        out.append('…');
        break;
      }
    }
    if (escaped) {
      out.append(RESET);
    }
    return out.toString();
  }

  private static int skipEscape(String s, int i) {
    int j = i + 1;
    if (j < s.length() && s.charAt(j) == '[') {
      j++;
      while (j < s.length() && !Character.isLetter(s.charAt(j))) {
        j++;
      }
    }
    return Math.min(j, s.length() - 1);
  }

  /** The state of a step in the view. */
  public enum StepState {
    DONE,
    CURRENT,
    PENDING,
    NONE
  }
}
