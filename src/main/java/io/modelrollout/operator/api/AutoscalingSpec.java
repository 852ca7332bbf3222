package io.modelrollout.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import java.util.List;

/** A HorizontalPodAutoscaler for the stable revision of an online model. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.minReplicas) || self.maxReplicas >= self.minReplicas",
    message = "autoscaling.maxReplicas must be at least minReplicas")
public class AutoscalingSpec {
  @Min(1)
  @Max(10000)
  @Default("1")
  @JsonPropertyDescription("Fewest pods of the stable revision.")
  public Integer minReplicas;

  @Required
  @Min(1)
  @Max(10000)
  @JsonPropertyDescription("Most pods of the stable revision.")
  public Integer maxReplicas;

  @Size(max = 10)
  @JsonPropertyDescription(
      "What the autoscaler scales on: the HorizontalPodAutoscaler v2 metric list (Resource,"
          + " Pods, Object, External, ContainerResource); default: CPU at 80% average"
          + " utilization.")
  public List<MetricSpec> metrics;

  public int minReplicasOrDefault() {
    return minReplicas == null ? 1 : minReplicas;
  }
}
