package io.modelrollout.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** What a comparison gate measured: both distributions and the statistics between them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ComparisonStatus {
  /** At most this many buckets are listed; the rest are summed into the last row. */
  public static final int MAX_BUCKETS = 20;

  @JsonPropertyDescription("Population stability index (new revision against stable).")
  public Double psi;

  @JsonPropertyDescription(
      "Kolmogorov–Smirnov distance over the bucket bounds (a lower bound of the raw distance).")
  public Double ks;

  @JsonPropertyDescription("The bucket bound (le) where the KS distance was found.")
  public String ksAt;

  @JsonPropertyDescription("p-value of the KS test (histograms) or chi-square test (classes).")
  public Double pValue;

  @JsonPropertyDescription("KS or ChiSquare: the test behind pValue.")
  public String test;

  @JsonPropertyDescription("Predictions of stable in the window.")
  public Long stableSamples;

  @JsonPropertyDescription("Predictions of the new revision in the window.")
  public Long canarySamples;

  @JsonPropertyDescription("Per bucket (le bound) or class: the share of each side's predictions.")
  public List<Bucket> buckets = new ArrayList<>();

  /** One bucket or class. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class Bucket {
    @JsonPropertyDescription("The bucket's upper bound (le) or the class name.")
    public String bucket;

    @JsonPropertyDescription("Share of stable's predictions in this bucket.")
    public Double stable;

    @JsonPropertyDescription("Share of the new revision's predictions in this bucket.")
    public Double canary;

    public Bucket() {}

    public Bucket(String bucket, Double stable, Double canary) {
      this.bucket = bucket;
      this.stable = stable;
      this.canary = canary;
    }
  }
}
