package io.modelrollout.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelrollout.operator.cli.Cases.Case;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code list}'s table over every case, plain and for a terminal, and its document. */
class ListRowTest {
  static List<ListRow> rows() throws IOException {
    List<ListRow> rows = new ArrayList<>();
    for (String name : Cases.names()) {
      Case c = Cases.load(name);
      Integer steps =
          c.policy().error() == null ? StepPlan.count(c.md().getSpec(), c.policy().spec()) : null;
      rows.add(ListRow.of(c.md(), steps));
    }
    return rows;
  }

  @Test
  void table() throws IOException {
    Golden.assertMatches(
        "list/all-namespaces.txt", ListRow.render(rows(), true, Style.PLAIN, Cases.NOW));
    Golden.assertMatches(
        "list/all-namespaces.terminal.txt",
        ListRow.render(rows(), true, Style.TERMINAL, Cases.NOW));
    String one = ListRow.render(rows().subList(0, 2), false, Style.PLAIN, Cases.NOW);
    assertThat(one.lines().findFirst().orElseThrow()).startsWith("NAME ");
  }

  @Test
  void document() throws IOException {
    Golden.assertMatches(
        "list/all-namespaces.yaml",
        Output.write(Output.Format.yaml, java.util.Map.of("items", rows())));
  }

  @Test
  void gateSummary() throws IOException {
    assertThat(ListRow.of(Cases.load("canary-rolledback").md(), 6).gates())
        .isEqualTo("0/2 passed; failed: error-rate");
    assertThat(ListRow.of(Cases.load("canary-inconclusive").md(), 6).gates())
        .isEqualTo("0/2 passed; inconclusive: p99-latency");
    assertThat(ListRow.of(Cases.load("no-status").md(), 6).gates()).isNull();
  }
}
