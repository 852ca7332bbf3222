package io.modelrollout.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A comparison gate: the distribution of the new revision's predictions against stable's, from a
 * Prometheus histogram per version ({@code increase(<histogram>_bucket[window])} per {@code le}) or
 * a counter per predicted class. Every threshold set must hold.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.histogram) != has(self.classes)",
    message = "a comparison sets exactly one of histogram or classes")
@ValidationRule(
    value = "has(self.maxPSI) || has(self.maxKS) || has(self.minPValue)",
    message = "a comparison needs a threshold: maxPSI, maxKS or minPValue")
@ValidationRule(
    value = "!has(self.classes) || !has(self.maxKS)",
    message = "maxKS needs ordered buckets (histogram); for classes use maxPSI or minPValue")
public class ComparisonSpec {
  @Size(min = 1, max = 200)
  @JsonPropertyDescription(
      "Base name of a Prometheus histogram of predictions (e.g. model_prediction_score):"
          + " <histogram>_bucket and <histogram>_count are read per version.")
  public String histogram;

  @Size(min = 1, max = 200)
  @JsonPropertyDescription(
      "A counter of predictions per class (e.g. model_predictions_total with a label class).")
  public String classes;

  @Size(min = 1, max = 63)
  @Default("class")
  @JsonPropertyDescription("The label of the class counter that names the class.")
  public String classLabel;

  @io.fabric8.generator.annotation.Required
  @Size(min = 1, max = 1024)
  @JsonPropertyDescription(
      "Label matchers selecting one version's series, with placeholders in quotes, e.g."
          + " model=\"{{model}}\",revision=\"{{revision}}\"; filled for the new revision and for"
          + " stable.")
  public String labels;

  @Size(max = 32)
  @Default("5m")
  @ValidationRule(value = Durations.RULE, message = "comparison.window " + Durations.MESSAGE)
  @JsonPropertyDescription("The range of increase(): predictions of this long are compared.")
  public String window;

  @Min(0)
  @JsonPropertyDescription(
      "Highest population stability index (empty buckets smoothed to 1e-4; below 0.1 is"
          + " usually stable, above 0.25 a significant shift). Categorical PSI for classes.")
  public Double maxPSI;

  @Min(0)
  @Max(1)
  @JsonPropertyDescription(
      "Highest Kolmogorov–Smirnov distance over the bucket bounds (histograms only; the"
          + " bucketed distance is a lower bound of the raw samples' distance).")
  public Double maxKS;

  @Min(0)
  @Max(1)
  @JsonPropertyDescription(
      "Lowest p-value of the test that both come from one distribution: Kolmogorov–Smirnov"
          + " (histograms) or chi-square (classes). A smaller p-value fails.")
  public Double minPValue;

  public String classLabelOrDefault() {
    return classLabel == null ? "class" : classLabel;
  }
}
