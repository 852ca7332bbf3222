package io.modelrollout.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * An A/B test: stable (control) and the new revision (treatment) both serve users; a statistical
 * test on the primary metrics decides, guardrail gates stop it at once.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.significance) || (self.significance > 0.0 && self.significance < 0.5)",
    message = "abTest.significance must be between 0 and 0.5")
@ValidationRule(
    value = "!has(self.power) || (self.power > 0.0 && self.power < 1.0)",
    message = "abTest.power must be between 0 and 1")
public class ABTestSpec {
  @Min(1)
  @Max(99)
  @Default("50")
  @JsonPropertyDescription("Percentage of traffic for the treatment (the new version).")
  public Integer treatmentWeight;

  @Size(max = 8)
  @JsonPropertyDescription(
      "Requests with any of these headers or cookies always go to the treatment (pinning a"
          + " user); needs traffic.provider GatewayAPI or Istio. The sample-ratio check then"
          + " expects treatmentWeight of the trials only if pinned users are a fair share: set"
          + " treatmentWeight to the share you expect.")
  public List<CanaryStep.RouteMatch> match;

  @Required
  @Size(max = 32)
  @ValidationRule(value = Durations.RULE, message = "abTest.minDuration " + Durations.MESSAGE)
  @JsonPropertyDescription("The test runs at least this long before it may decide.")
  public String minDuration;

  @Required
  @Size(max = 32)
  @ValidationRule(value = Durations.RULE, message = "abTest.maxDuration " + Durations.MESSAGE)
  @JsonPropertyDescription(
      "When the sequential test has not decided by then, the fixed-horizon test (z-test or"
          + " Welch) decides once: a winner, NoDifference, or Inconclusive when underpowered.")
  public String maxDuration;

  @Min(1)
  @Default("1000")
  @JsonPropertyDescription("Trials (or observations) each variant needs before any decision.")
  public Integer minSamples;

  @Size(max = 32)
  @Default("1m")
  @ValidationRule(value = Durations.RULE, message = "abTest.interval " + Durations.MESSAGE)
  @JsonPropertyDescription("Time between two looks at the data.")
  public String interval;

  @JsonPropertyDescription("Significance level α of the decision (default 0.05).")
  public Double significance;

  @JsonPropertyDescription(
      "Power for the sample-size hint in status (default 0.8), with the metrics' minimum"
          + " detectable effect.")
  public Double power;

  @Required
  @Size(min = 1, max = 5)
  @JsonPropertyDescription(
      "Primary metrics; with several, Holm's correction keeps the family-wise error at α. A"
          + " significant loss on any of them is a loss.")
  public List<ABMetric> metrics;

  @Size(max = 10)
  @JsonPropertyDescription(
      "Names of gates (from the policy's gates) measured at every look; a failing one ends the"
          + " test at once and keeps control.")
  public List<String> guardrails;

  @JsonPropertyDescription(
      "Prometheus address, credentials and headers for the metrics (query is not used here);"
          + " default the operator's address.")
  public GateSpec.PrometheusGate prometheus;

  @Default("Promote")
  @JsonPropertyDescription(
      "When the treatment wins: Promote it at once, or Manual (wait for a promote or abort).")
  public OnWin onWin;

  @Default("KeepControl")
  @JsonPropertyDescription(
      "When control wins, or there is no difference, or the test is inconclusive: KeepControl"
          + " (end the test, the new version is not promoted and not retried), or Manual (wait"
          + " for a promote or abort). An inconclusive test never promotes by itself.")
  public OnNoWin onNoWin;

  /** What a win does. */
  public enum OnWin {
    Promote,
    Manual
  }

  /** What a loss, no difference or an inconclusive test does. */
  public enum OnNoWin {
    KeepControl,
    Manual
  }

  /** A primary metric: a rate or a mean per variant, built from Prometheus counters. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "has(self.rate) != has(self.mean)",
      message = "an A/B metric sets exactly one of rate or mean")
  public static class ABMetric {
    @Required
    @Size(min = 1, max = 63)
    @ValidationRule(
        value = "self.matches('^[a-z0-9]([a-z0-9-]*[a-z0-9])?$')",
        message = "metric name must be lower-case letters, digits and '-' (a DNS label)")
    @JsonPropertyDescription("Name shown in status and events.")
    public String name;

    @JsonPropertyDescription("successes / trials, e.g. conversions / requests.")
    public Rate rate;

    @JsonPropertyDescription("sum / count of an observed value, with a variance source.")
    public Mean mean;

    @Required
    @Size(min = 1, max = 1024)
    @JsonPropertyDescription(
        "Label matchers selecting one variant's series, with placeholders in quotes, e.g."
            + " model=\"{{model}}\",version=\"{{version}}\". The operator queries"
            + " sum(increase(<metric>{<labels>}[<time since the test started>])).")
    public String labels;

    @Default("Higher")
    @JsonPropertyDescription("Which direction is better: Higher (conversions) or Lower (latency).")
    public Better better;

    @JsonPropertyDescription(
        "The smallest absolute difference worth detecting, in the metric's units (0.01 = one"
            + " percentage point of a rate). Scales the sequential test, and gives the"
            + " sample-size hint.")
    public Double minimumDetectableEffect;

    public Better betterOrDefault() {
      return better == null ? Better.Higher : better;
    }
  }

  /** Two counters per variant. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Rate {
    @Required
    @Size(min = 1, max = 200)
    @JsonPropertyDescription("Counter of successes, e.g. checkout_completed_total.")
    public String successes;

    @Required
    @Size(min = 1, max = 200)
    @JsonPropertyDescription("Counter of trials, e.g. checkout_started_total.")
    public String trials;
  }

  /** A mean: the _sum and _count of a summary or histogram, and a variance source. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "has(self.sumOfSquares) != (has(self.histogram) && self.histogram)",
      message = "a mean needs exactly one variance source: sumOfSquares or histogram: true")
  public static class Mean {
    @Required
    @Size(min = 1, max = 200)
    @JsonPropertyDescription("Base name: <metric>_sum and <metric>_count are read.")
    public String metric;

    @Size(min = 1, max = 200)
    @JsonPropertyDescription("Counter of the sum of squared observations, for the variance.")
    public String sumOfSquares;

    @JsonPropertyDescription(
        "Estimate the variance from <metric>_bucket (each bucket spread evenly over its bounds;"
            + " approximate); the mean stays <metric>_sum / <metric>_count.")
    public Boolean histogram;
  }

  /** Direction of improvement. */
  public enum Better {
    Higher,
    Lower
  }

  public int treatmentWeightOrDefault() {
    return treatmentWeight == null ? 50 : treatmentWeight;
  }

  public int minSamplesOrDefault() {
    return minSamples == null ? 1000 : minSamples;
  }

  public double significanceOrDefault() {
    return significance == null ? 0.05 : significance;
  }

  public double powerOrDefault() {
    return power == null ? 0.8 : power;
  }

  public OnWin onWinOrDefault() {
    return onWin == null ? OnWin.Promote : onWin;
  }

  public OnNoWin onNoWinOrDefault() {
    return onNoWin == null ? OnNoWin.KeepControl : onNoWin;
  }
}
