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

/** A metric gate: a Prometheus query and the thresholds its value must keep. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.min) || has(self.max) || has(self.compareTo) || has(self.comparison)",
    message =
        "a gate needs a threshold: set min, max, compareTo with a relative bound, or comparison")
@ValidationRule(
    value = "has(self.comparison) != (has(self.prometheus) && has(self.prometheus.query))",
    message = "a gate sets exactly one of prometheus.query or comparison")
@ValidationRule(
    value = "!has(self.comparison) || !(has(self.min) || has(self.max) || has(self.compareTo))",
    message =
        "a comparison gate has its own thresholds (maxPSI, maxKS, minPValue), not min, max"
            + " or compareTo")
@ValidationRule(
    value =
        "!has(self.compareTo) || has(self.maxIncrease) || has(self.maxIncreasePercent) ||"
            + " has(self.maxDecrease) || has(self.maxDecreasePercent)",
    message =
        "compareTo needs a relative bound: maxIncrease, maxIncreasePercent, maxDecrease or"
            + " maxDecreasePercent")
@ValidationRule(
    value = "!has(self.min) || !has(self.max) || self.max >= self.min",
    message = "gate max must be greater than or equal to min")
public class GateSpec {
  @Required
  @Size(min = 1, max = 63)
  @ValidationRule(
      value = "self.matches('^[a-z0-9]([a-z0-9-]*[a-z0-9])?$')",
      message = "gate name must be lower-case letters, digits and '-' (a DNS label)")
  @JsonPropertyDescription("Name that analysis steps and blue-green gates refer to.")
  public String name;

  @JsonPropertyDescription(
      "The Prometheus query of the gate, and where it goes (a comparison gate uses only the"
          + " address, credentials and headers).")
  public PrometheusGate prometheus;

  @JsonPropertyDescription(
      "A comparison of the distribution of predictions of the new revision with stable's (a"
          + " histogram, or a counter per class), instead of prometheus.query.")
  public ComparisonSpec comparison;

  @JsonPropertyDescription("Lowest acceptable value (inclusive).")
  public Double min;

  @JsonPropertyDescription("Highest acceptable value (inclusive).")
  public Double max;

  @JsonPropertyDescription(
      "Stable: also run the query for the stable revision ({{variant}}=stable,"
          + " {{revision}}=its revision) and bound the canary's value relative to it.")
  public Baseline compareTo;

  @Min(0)
  @JsonPropertyDescription(
      "Relative gate: canary may be at most this much above stable. With maxIncreasePercent"
          + " too, keeping either one passes (an absolute allowance for near-zero baselines).")
  public Double maxIncrease;

  @Min(0)
  @JsonPropertyDescription("Relative gate: canary may be at most this many percent above stable.")
  public Double maxIncreasePercent;

  @Min(0)
  @JsonPropertyDescription("Relative gate: canary may be at most this much below stable.")
  public Double maxDecrease;

  @Min(0)
  @Max(100)
  @JsonPropertyDescription("Relative gate: canary may be at most this many percent below stable.")
  public Double maxDecreasePercent;

  @Default("30s")
  @Size(max = 32)
  @ValidationRule(value = Durations.RULE, message = "interval " + Durations.MESSAGE)
  @JsonPropertyDescription("Time between two measurements.")
  public String interval;

  @Default("0s")
  @Size(max = 32)
  @ValidationRule(value = Durations.RULE, message = "initialDelay " + Durations.MESSAGE)
  @JsonPropertyDescription("Wait this long after the stage starts before the first measurement.")
  public String initialDelay;

  @Min(1)
  @Max(1000)
  @Default("1")
  @JsonPropertyDescription("Successful measurements needed for the gate to pass.")
  public Integer count;

  @Min(0)
  @Max(1000)
  @Default("0")
  @JsonPropertyDescription("Failed measurements tolerated; one more fails the gate.")
  public Integer failureLimit;

  @Min(0)
  @Max(1000)
  @Default("0")
  @JsonPropertyDescription(
      "Inconclusive measurements (no data, Prometheus unreachable) tolerated in a row before the"
          + " gate fails; 0 means no limit: the rollout stays paused until data returns.")
  public Integer inconclusiveLimit;

  @Default("Inconclusive")
  @JsonPropertyDescription(
      "What an empty query result means: Inconclusive (pause, never promote), Fail or Pass.")
  public NoDataPolicy noData;

  /** Where and what to query. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class PrometheusGate {
    @JsonPropertyDescription(
        "Prometheus base URL, e.g. http://prometheus.monitoring:9090. Defaults to the operator's"
            + " configured address.")
    public String address;

    @Size(min = 1, max = 4096)
    @JsonPropertyDescription(
        "PromQL instant query returning one value (required unless the gate is a comparison). Templates: {{name}}, {{namespace}},"
            + " {{model}}, {{version}}, {{revision}}, {{variant}} (stable or canary); put them"
            + " inside double quotes, e.g. version=\"{{version}}\". Values are escaped.")
    public String query;

    @Size(max = 32)
    @ValidationRule(value = Durations.RULE, message = "prometheus.timeout " + Durations.MESSAGE)
    @JsonPropertyDescription(
        "How long one query may take; a slower answer is inconclusive. Defaults to the"
            + " operator's setting (10s).")
    public String timeout;

    @JsonPropertyDescription(
        "A Secret in the same namespace with credentials: key 'token' (bearer token), or"
            + " 'username' and 'password' (basic auth); optional 'ca.crt' (PEM CA bundle to trust).")
    public SecretRef secretRef;

    @Size(max = 10)
    @JsonPropertyDescription("Extra HTTP headers, e.g. X-Scope-OrgID for a multi-tenant backend.")
    public List<Header> headers;
  }

  /** A Secret by name. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class SecretRef {
    @Required
    @Size(min = 1, max = 253)
    @JsonPropertyDescription(
        "Name of a Secret in the ModelDeployment's namespace with the key token, or username and"
            + " password, and optionally ca.crt.")
    public String name;
  }

  /** An HTTP header. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Header {
    @Required
    @Size(min = 1, max = 256)
    @JsonPropertyDescription("Header name.")
    public String name;

    @Required
    @Size(max = 4096)
    @JsonPropertyDescription("Header value, sent as written.")
    public String value;
  }

  /** What a relative gate compares the canary with. */
  public enum Baseline {
    Stable
  }

  /** What an empty query result means. */
  public enum NoDataPolicy {
    Inconclusive,
    Fail,
    Pass
  }

  /**
   * Set by the engine on the gate it asks to measure for an A/B metric (never in the API): the
   * metric, and the seconds since the test started, the range of its increase() queries.
   */
  @com.fasterxml.jackson.annotation.JsonIgnore public transient ABTestSpec.ABMetric abMetric;

  @com.fasterxml.jackson.annotation.JsonIgnore public transient long abWindowSeconds;

  public int countOrDefault() {
    return count == null ? 1 : count;
  }

  public int failureLimitOrDefault() {
    return failureLimit == null ? 0 : failureLimit;
  }

  public int inconclusiveLimitOrDefault() {
    return inconclusiveLimit == null ? 0 : inconclusiveLimit;
  }

  public NoDataPolicy noDataOrDefault() {
    return noData == null ? NoDataPolicy.Inconclusive : noData;
  }
}
