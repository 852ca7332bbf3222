package io.modelrollout.operator.controller;

import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.modelrollout.operator.analysis.Measurement;
import io.modelrollout.operator.api.ModelDeployment;
import java.util.Set;

/** Triggers a reconcile of a ModelDeployment when a gate measurement for it has completed. */
public final class MeasurementEvents extends AbstractEventSource<Measurement, ModelDeployment> {
  public MeasurementEvents() {
    super(Measurement.class, "gate-measurements");
  }

  @Override
  public Set<Measurement> getSecondaryResources(ModelDeployment primary) {
    return Set.of();
  }

  void measured(ResourceID id) {
    if (isRunning()) {
      getEventHandler().handleEvent(new Event(id));
    }
  }
}
