package io.modelrollout.operator.controller;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.status.EventSpec;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Emits Kubernetes Events on a ModelDeployment; a failure to emit is logged in one line, never
 * fatal (at debug when the namespace is terminating, which is expected).
 */
public class EventRecorder {
  private static final Logger LOG = Logger.getLogger(EventRecorder.class);
  private static final int MAX_MESSAGE = 1024;
  private final Clock clock;

  public EventRecorder(Clock clock) {
    this.clock = clock;
  }

  public void emit(KubernetesClient client, ModelDeployment md, EventSpec e) {
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    String message =
        e.message().length() > MAX_MESSAGE
            ? e.message().substring(0, MAX_MESSAGE - 3) + "..."
            : e.message();
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withName(
                md.getMetadata().getName()
                    + "."
                    + UUID.randomUUID().toString().substring(0, 13).replace("-", ""))
            .withNamespace(md.getMetadata().getNamespace())
            .endMetadata()
            .withNewInvolvedObject()
            .withApiVersion(md.getApiVersion())
            .withKind(md.getKind())
            .withName(md.getMetadata().getName())
            .withNamespace(md.getMetadata().getNamespace())
            .withUid(md.getMetadata().getUid())
            .endInvolvedObject()
            .withType(e.warning() ? "Warning" : "Normal")
            .withReason(e.reason())
            .withMessage(message)
            .withNewSource()
            .withComponent(OperatorSettings.FIELD_MANAGER)
            .endSource()
            .withReportingComponent(OperatorSettings.FIELD_MANAGER)
            .withReportingInstance(hostname())
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .build();
    try {
      client.v1().events().inNamespace(md.getMetadata().getNamespace()).resource(event).create();
    } catch (RuntimeException ex) {
      String why = ObjectWriter.why(ex);
      if (Failures.classify(ex) == Failures.Kind.GONE) { // expected while a namespace goes away
        LOG.debugf(
            "%s/%s: event %s not emitted, the namespace is terminating: %s",
            md.getMetadata().getNamespace(), md.getMetadata().getName(), e.reason(), why);
      } else {
        LOG.warnf(
            "could not emit event %s on %s/%s: %s",
            e.reason(), md.getMetadata().getNamespace(), md.getMetadata().getName(), why);
      }
    }
    if (e.warning()) {
      LOG.warnf(
          "%s/%s %s: %s",
          md.getMetadata().getNamespace(), md.getMetadata().getName(), e.reason(), message);
    } else {
      LOG.infof(
          "%s/%s %s: %s",
          md.getMetadata().getNamespace(), md.getMetadata().getName(), e.reason(), message);
    }
  }

  private static String hostname() {
    String h = System.getenv("HOSTNAME");
    return h == null ? "local" : h;
  }
}
