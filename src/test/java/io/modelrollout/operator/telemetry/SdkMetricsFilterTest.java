package io.modelrollout.operator.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.testing.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SDK's meters stay one per controller however many objects it reconciles. */
class SdkMetricsFilterTest {

  @Test
  void theSdksMetersOfManyObjectsFoldIntoOnePerControllerAndOursKeepTheirObject() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    registry.config().meterFilter(new SdkMetricsFilter());
    MicrometerMetrics sdk = MicrometerMetrics.newMicrometerMetricsBuilder(registry).build();
    RolloutMetrics ours = new RolloutMetrics(registry);
    Map<String, Object> meta =
        Map.of(
            Constants.RESOURCE_GVK_KEY,
            GroupVersionKind.gvkFor(ModelDeployment.class),
            Constants.CONTROLLER_NAME,
            "modeldeployment");
    for (int i = 0; i < 50; i++) {
      ModelDeployment md = Fixtures.model("ns-" + (i % 5), "m-" + i, "1.0.0", 1);
      sdk.receivedEvent(
          new io.javaoperatorsdk.operator.processing.event.source.controller.ResourceEvent(
              io.javaoperatorsdk.operator.processing.event.source.controller.ResourceAction.UPDATED,
              ResourceID.fromResource(md),
              md),
          meta);
      sdk.timeControllerExecution(execution(ResourceID.fromResource(md), meta));
      ours.reconciled(md.getMetadata().getNamespace(), md.getMetadata().getName());
      ours.record(
          md.getMetadata().getNamespace(),
          md.getMetadata().getName(),
          null,
          new ModelDeploymentStatus(),
          List.of());
    }
    List<Meter> sdkMeters =
        registry.getMeters().stream()
            .filter(m -> m.getId().getName().startsWith("operator.sdk."))
            .toList();
    assertThat(sdkMeters).isNotEmpty();
    assertThat(sdkMeters)
        .allSatisfy(
            m ->
                assertThat(m.getId().getTags())
                    .noneMatch(t -> SdkMetricsFilter.PER_OBJECT.contains(t.getKey())));
    assertThat(sdkMeters.size()).as("not one per object").isLessThan(10);
    assertThat(
            registry.find("operator.sdk.controllers.execution.reconcile").timers().stream()
                .mapToLong(t -> t.count())
                .sum())
        .as("every execution still counted")
        .isEqualTo(50);
    assertThat(registry.find("modelrollout_reconciles_total").counters()).hasSize(50);
  }

  private static Metrics.ControllerExecution<String> execution(
      ResourceID id, Map<String, Object> meta) {
    return new Metrics.ControllerExecution<>() {
      @Override
      public String name() {
        return "reconcile";
      }

      @Override
      public String controllerName() {
        return "modeldeployment";
      }

      @Override
      public String successTypeName(String result) {
        return "resource";
      }

      @Override
      public ResourceID resourceID() {
        return id;
      }

      @Override
      public Map<String, Object> metadata() {
        return meta;
      }

      @Override
      public String execute() {
        return "done";
      }
    };
  }
}
