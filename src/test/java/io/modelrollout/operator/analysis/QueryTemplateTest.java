package io.modelrollout.operator.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryTemplateTest {
  static final Map<String, String> VARS =
      Map.of(
          "name",
          "fraud",
          "namespace",
          "ml",
          "model",
          "fraud-detector",
          "version",
          "2.3.0",
          "revision",
          "abc",
          "variant",
          "canary");

  @Test
  void fillsEveryPlaceholder() {
    assertThat(
            QueryTemplate.render(
                "sum(rate(x{ns=\"{{namespace}}\",model=\"{{ model }}\",version=\"{{version}}\",rev=\"{{revision}}\",v=\"{{variant}}\",n=\"{{name}}\"}[1m]))",
                VARS))
        .isEqualTo(
            "sum(rate(x{ns=\"ml\",model=\"fraud-detector\",version=\"2.3.0\",rev=\"abc\",v=\"canary\",n=\"fraud\"}[1m]))");
  }

  @Test
  void aCraftedValueStaysInsideItsLabelMatcher() {
    String evil = "2.3.0\"} or vector(0) or up{x=\"";
    String q = QueryTemplate.render("errors{version=\"{{version}}\"}", Map.of("version", evil));
    assertThat(q).isEqualTo("errors{version=\"2.3.0\\\"} or vector(0) or up{x=\\\"\"}");
    // one matcher, one closing brace outside quotes: nothing escaped the string
    assertThat(unquoted(q)).isEqualTo("errors{version=}");
  }

  @Test
  void backslashesAndNewlinesAreEscaped() {
    assertThat(QueryTemplate.escape("a\\b\nc\"")).isEqualTo("a\\\\b\\nc\\\"");
  }

  @Test
  void anUnknownPlaceholderIsAnError() {
    assertThatThrownBy(() -> QueryTemplate.render("x{a=\"{{team}}\"}", VARS))
        .hasMessageContaining("unknown placeholder {{team}}");
  }

  /** The query with the contents of double-quoted strings removed, honouring escapes. */
  static String unquoted(String q) {
    StringBuilder out = new StringBuilder();
    boolean in = false;
    for (int i = 0; i < q.length(); i++) {
      char c = q.charAt(i);
      if (in && c == '\\') {
        i++;
      } else if (c == '"') {
        in = !in;
      } else if (!in) {
        out.append(c);
      }
    }
    return out.toString();
  }
}
