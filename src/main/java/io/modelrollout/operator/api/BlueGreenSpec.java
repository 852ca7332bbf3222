package io.modelrollout.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** A blue-green rollout: preview, gates, then an atomic switch of live traffic. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BlueGreenSpec {
  @Min(1)
  @Default("1")
  @JsonPropertyDescription(
      "Pods of the new revision behind the preview Service <name>-canary before promotion.")
  public Integer previewReplicas;

  @Size(max = 32)
  @ValidationRule(value = Durations.RULE, message = "autoPromotionAfter " + Durations.MESSAGE)
  @JsonPropertyDescription(
      "Promote automatically this long after the preview is ready and its gates passed; omit"
          + " to wait for a promote action.")
  public String autoPromotionAfter;

  @Size(max = 10)
  @JsonPropertyDescription("Gates that must pass on the preview before promotion.")
  public List<String> prePromotionGates;

  @Size(max = 10)
  @JsonPropertyDescription(
      "Gates that must pass after the switch; a failure switches traffic back at once.")
  public List<String> postPromotionGates;

  @Default("30s")
  @Size(max = 32)
  @ValidationRule(value = Durations.RULE, message = "scaleDownDelay " + Durations.MESSAGE)
  @JsonPropertyDescription("How long the previous revision keeps its pods after promotion.")
  public String scaleDownDelay;
}
