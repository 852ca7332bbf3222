package io.modelrollout.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** The state of an A/B test: what was measured, the statistics, and the decision. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ExperimentStatus {
  @JsonPropertyDescription("The version under test (the treatment).")
  public String version;

  @JsonPropertyDescription(
      "Running, TreatmentWins, ControlWins, NoDifference, Inconclusive or Invalid (a sample-ratio"
          + " mismatch: the test never picks a winner).")
  public Decision decision;

  @JsonPropertyDescription("The decision, or what the test waits for, in a sentence.")
  public String message;

  @JsonPropertyDescription("When the test started splitting traffic (RFC 3339).")
  public String startedAt;

  @JsonPropertyDescription("When the data was last looked at (RFC 3339).")
  public String evaluatedAt;

  @JsonPropertyDescription("Looks at the data so far.")
  public Integer looks;

  @JsonPropertyDescription(
      "Trials per variant a fixed-horizon test needs to detect the minimum detectable effect"
          + " with the configured power (from control's first values; Holm-adjusted level).")
  public Long sampleSizeHint;

  @JsonPropertyDescription("The sample-ratio-mismatch check of the last look.")
  public SampleRatio sampleRatio;

  @JsonPropertyDescription("Per primary metric: both variants and their difference.")
  public List<MetricResult> metrics = new ArrayList<>();

  /** How a test ended, or that it runs. */
  public enum Decision {
    Running,
    TreatmentWins,
    ControlWins,
    NoDifference,
    Inconclusive,
    Invalid
  }

  /** Trials per variant against the configured split. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class SampleRatio {
    @JsonPropertyDescription("Trials of control.")
    public Long control;

    @JsonPropertyDescription("Trials of the treatment.")
    public Long treatment;

    @JsonPropertyDescription("The treatment's configured share of trials.")
    public Double expectedTreatmentShare;

    @JsonPropertyDescription(
        "p-value of the chi-square goodness-of-fit test; below 0.001 is a mismatch.")
    public Double pValue;

    @JsonPropertyDescription("True when the split does not match: the test is invalid.")
    public Boolean mismatch;
  }

  /** One primary metric. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class MetricResult {
    @JsonPropertyDescription("The metric's name.")
    public String name;

    @JsonPropertyDescription("Rate or Mean.")
    public String kind;

    @JsonPropertyDescription("Higher or Lower: which direction is better.")
    public String better;

    @JsonPropertyDescription("Control (stable): samples and value.")
    public Variant control;

    @JsonPropertyDescription("Treatment (new version): samples and value.")
    public Variant treatment;

    @JsonPropertyDescription("treatment − control: estimate, interval and p-values.")
    public Difference difference;
  }

  /** One variant of a metric. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class Variant {
    @JsonPropertyDescription("Trials (rate) or observations (mean) since the test started.")
    public Long samples;

    @JsonPropertyDescription("The rate or the mean.")
    public Double value;

    public Variant() {}

    public Variant(Long samples, Double value) {
      this.samples = samples;
      this.value = value;
    }
  }

  /** The difference treatment − control. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class Difference {
    @JsonPropertyDescription("treatment − control.")
    public Double estimate;

    @JsonPropertyDescription("Lower bound of the interval.")
    public Double low;

    @JsonPropertyDescription("Upper bound of the interval.")
    public Double high;

    @JsonPropertyDescription(
        "The interval: AlwaysValid (mixture SPRT, every look), Newcombe (rates) or Welch (means)"
            + " at maxDuration.")
    public String interval;

    @JsonPropertyDescription(
        "Always-valid p-value of the mixture sequential test (the running minimum over looks).")
    public Double sequentialPValue;

    @JsonPropertyDescription(
        "p-value of the fixed-horizon test (two-proportion z-test or Welch's t-test), computed"
            + " once at maxDuration.")
    public Double pValue;

    @JsonPropertyDescription("Significant after Holm's correction across the primary metrics.")
    public Boolean significant;
  }
}
