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

  @Test
  void insideARegexMatcherAValueMatchesItselfOnly() {
    String q =
        QueryTemplate.render(
            "errors{version=~\"{{version}}\", other!~ \"{{version}}\"}",
            Map.of("version", "2.3.0+build"));
    assertThat(q)
        .isEqualTo(
            "errors{version=~\"2\\\\.3\\\\.0\\\\+build\", other!~ \"2\\\\.3\\\\.0\\\\+build\"}");
    // the regex Prometheus sees, once the string's escapes are read
    String regex = q.substring(q.indexOf('"') + 1, q.indexOf("\",")).replace("\\\\", "\\");
    assertThat("2.3.0+build").matches(regex);
    assertThat("2x3x0+build").doesNotMatch(regex);
    assertThat("2.3.0build").doesNotMatch(regex);
  }

  @Test
  void anEqualityMatcherKeepsTheValueAsIs() {
    assertThat(QueryTemplate.render("x{v=\"{{version}}\"}", Map.of("version", "2.3.0+build")))
        .isEqualTo("x{v=\"2.3.0+build\"}");
  }

  @Test
  void singleQuotesAndBackticksAreHonoured() {
    assertThat(QueryTemplate.render("x{v='{{version}}'}", Map.of("version", "it's")))
        .isEqualTo("x{v='it\\'s'}");
    assertThat(QueryTemplate.render("x{v=~`{{version}}`}", Map.of("version", "1.0")))
        .isEqualTo("x{v=~`1\\.0`}");
    assertThatThrownBy(() -> QueryTemplate.render("x{v=`{{version}}`}", Map.of("version", "a`b")))
        .hasMessageContaining("backtick");
  }

  @Test
  void aPlaceholderOutsideQuotesIsRefusedAndReported() {
    assertThatThrownBy(() -> QueryTemplate.render("{{name}}_requests_total", VARS))
        .hasMessageContaining("must be inside a quoted label value");
    assertThat(QueryTemplate.problems("x{a=\"{{team}}\"} or {{name}}_total"))
        .containsExactly(
            "unknown placeholder {{team}}; known: name, namespace, model, version, versionLabel,"
                + " revision, variant",
            "placeholder {{name}} must be inside a quoted label value, e.g."
                + " version=\"{{name}}\"");
    assertThat(QueryTemplate.problems("x{v=\"{{versionLabel}}\",m='{{model}}'}")).isEmpty();
  }

  @Test
  void quotesInsideAStringDoNotEndIt() {
    assertThat(
            QueryTemplate.render(
                "label_replace(x, \"a\", \"b\\\"c\", \"d\", \"\") + y{v=\"{{version}}\"}",
                Map.of("version", "1")))
        .endsWith("y{v=\"1\"}");
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
