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
    value = "[has(self.setWeight), has(self.pause), has(self.analysis)].filter(x, x).size() == 1",
    message = "each canary step sets exactly one of setWeight, pause or analysis")
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
