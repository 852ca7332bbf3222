package io.modelrollout.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** One canary step: exactly one of setWeight, pause or analysis. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "[has(self.setWeight), has(self.pause), has(self.analysis), has(self.setMirror),"
            + " has(self.setHeaderRoute), has(self.setNodePercent)].filter(x, x).size() == 1",
    message =
        "each canary step sets exactly one of setWeight, pause, analysis, setMirror,"
            + " setHeaderRoute or setNodePercent")
public class CanaryStep {
  @Min(0)
  @Max(100)
  @JsonPropertyDescription(
      "Percentage of traffic for the canary (0-100). Its pods follow the weight, at least one.")
  public Integer setWeight;

  @JsonPropertyDescription("Wait for a duration, or, without one, until a promote action.")
  public Pause pause;

  @JsonPropertyDescription("Wait until the named gates pass; a failing gate rolls back.")
  public Analysis analysis;

  @JsonPropertyDescription(
      "Mirror (shadow) a percentage of live requests to the canary; responses are discarded."
          + " Stays until changed; needs traffic.provider GatewayAPI or Istio.")
  public Mirror setMirror;

  @JsonPropertyDescription(
      "Send requests that match to the canary whatever the weight (A/B pinning). An empty"
          + " match list removes the route. Needs traffic.provider GatewayAPI or Istio.")
  public HeaderRoute setHeaderRoute;

  @Min(0)
  @Max(100)
  @JsonPropertyDescription(
      "Edge mode: percentage of the fleet's nodes that run the canary (0-100), chosen by a hash"
          + " of node name and revision, spread over edge.topologyKey.")
  public Integer setNodePercent;

  /** A mirror step. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Mirror {
    @Required
    @Min(0)
    @Max(100)
    @JsonPropertyDescription("Percentage of requests mirrored to the canary (0 stops mirroring).")
    public Integer percent;
  }

  /** A header route step. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class HeaderRoute {
    @Size(max = 8)
    @JsonPropertyDescription("Conditions, any of which sends a request to the canary.")
    public List<RouteMatch> match;
  }

  /** One condition: a header or a cookie with an exact value. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "has(self.header) != has(self.cookie)",
      message = "a match sets exactly one of header or cookie")
  public static class RouteMatch {
    @JsonPropertyDescription(
        "An HTTP request header and its exact value; set this or cookie, not both.")
    public NameValue header;

    @JsonPropertyDescription("A cookie and its exact value; set this or header, not both.")
    public NameValue cookie;
  }

  /** A name and an exact value. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class NameValue {
    @Required
    @Size(min = 1, max = 256)
    @ValidationRule(
        value = "self.matches('^[A-Za-z0-9!#$%&\\'*+.^_`|~-]+$')",
        message = "a header or cookie name is a token (letters, digits and !#$%&'*+.^_`|~-)")
    @JsonPropertyDescription("Header or cookie name (an HTTP token; header names match any case).")
    public String name;

    @Required
    @Size(min = 1, max = 1024)
    @JsonPropertyDescription("The exact value that sends a request to the canary.")
    public String value;
  }

  /** A pause step. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Pause {
    @Size(max = 32)
    @ValidationRule(value = Durations.RULE, message = "pause.duration " + Durations.MESSAGE)
    @JsonPropertyDescription("How long to wait; omit to wait for a promote action.")
    public String duration;
  }

  /** An analysis step. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Analysis {
    @Required
    @Size(min = 1, max = 10)
    @JsonPropertyDescription("Names of gates (from the policy's gates) that must all pass.")
    public List<String> gates;
  }

  public static CanaryStep weight(int w) {
    CanaryStep s = new CanaryStep();
    s.setWeight = w;
    return s;
  }

  public static CanaryStep nodes(int percent) {
    CanaryStep s = new CanaryStep();
    s.setNodePercent = percent;
    return s;
  }

  public static CanaryStep pause(String duration) {
    CanaryStep s = new CanaryStep();
    s.pause = new Pause();
    s.pause.duration = duration;
    return s;
  }

  public static CanaryStep analysis(String... gates) {
    CanaryStep s = new CanaryStep();
    s.analysis = new Analysis();
    s.analysis.gates = List.of(gates);
    return s;
  }
}
