package io.modelrollout.operator.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Left-aligned columns separated by three spaces, like kubectl's tables; aware of ANSI codes. */
final class Table {
  private final List<String[]> rows = new ArrayList<>();
  private final String indent;

  Table(String indent, String... header) {
    this.indent = indent;
    if (header.length > 0) {
      rows.add(header);
    }
  }

  Table row(String... cells) {
    rows.add(Arrays.stream(cells).map(c -> c == null ? "" : c).toArray(String[]::new));
    return this;
  }

  boolean isEmpty() {
    return rows.size() <= 1;
  }

  /** The rows, one line each, trailing spaces trimmed. */
  List<String> lines() {
    int columns = rows.stream().mapToInt(r -> r.length).max().orElse(0);
    int[] widths = new int[columns];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        widths[i] = Math.max(widths[i], Style.width(r[i]));
      }
    }
    List<String> out = new ArrayList<>();
    for (String[] r : rows) {
      StringBuilder sb = new StringBuilder(indent);
      for (int i = 0; i < r.length; i++) {
        sb.append(r[i]);
        if (i < r.length - 1) {
          sb.append(" ".repeat(widths[i] - Style.width(r[i]) + 3));
        }
      }
      out.add(sb.toString().stripTrailing());
    }
    return out;
  }
}
