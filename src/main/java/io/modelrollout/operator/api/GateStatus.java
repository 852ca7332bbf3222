package io.modelrollout.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The state of one gate at the current stage: verdict, last value and counters. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class GateStatus {
  @JsonPropertyDescription("The gate's name, as in the policy.")
  public String name;

  @JsonPropertyDescription("Pass, Fail, Inconclusive or Pending.")
  public Verdict verdict;

  @JsonPropertyDescription("Last measured value.")
  public Double value;

  @JsonPropertyDescription("The threshold in words, e.g. '<= 0.01'.")
  public String threshold;

  @JsonPropertyDescription("Good measurements so far at this stage.")
  public Integer successes;

  @JsonPropertyDescription("Bad measurements so far at this stage.")
  public Integer failures;

  @JsonPropertyDescription("Inconclusive measurements in a row.")
  public Integer inconclusives;

  @JsonPropertyDescription("When the last measurement was taken (RFC 3339).")
  public String measuredAt;

  @JsonPropertyDescription("The query as sent, templates filled in.")
  public String query;

  @JsonPropertyDescription("Why the last measurement was inconclusive or failed.")
  public String message;

  @JsonPropertyDescription(
      "A comparison gate's last comparison: statistics, sample counts and per-bucket"
          + " proportions.")
  public ComparisonStatus comparison;
}
