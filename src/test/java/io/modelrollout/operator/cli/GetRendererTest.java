package io.modelrollout.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelrollout.operator.cli.Cases.Case;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code get}'s text for every phase and strategy (cases under src/test/resources/cli/cases), plain
 * and for a terminal, against golden files; and {@code get -o json}'s document.
 */
class GetRendererTest {
  static List<String> cases() throws IOException {
    return Cases.names();
  }

  @ParameterizedTest
  @MethodSource("cases")
  void plain(String name) throws IOException {
    String text = GetRenderer.render(Cases.load(name).view(), Style.PLAIN, Cases.NOW);
    assertThat(text).doesNotContain("\u001b").isEqualTo(text.strip() + "\n");
    Golden.assertMatches("get/" + name + ".txt", text);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void terminal(String name) throws IOException {
    Case c = Cases.load(name);
    String text = GetRenderer.render(c.view(), Style.TERMINAL, Cases.NOW);
    Golden.assertMatches("get/" + name + ".terminal.txt", text);
    String stripped =
        text.replaceAll("\u001b\\[[0-9;]*m", "")
            .replace("✔", "+")
            .replace("▶", ">")
            .replace("○", " ");
    assertThat(stripped)
        .as("the plain text, in colour and with symbols for the step markers")
        .isEqualTo(GetRenderer.render(c.view(), Style.PLAIN, Cases.NOW));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void json(String name) throws IOException {
    Golden.assertMatches(
        "get/" + name + ".json", Output.write(Output.Format.json, Cases.load(name).view()));
  }
}
