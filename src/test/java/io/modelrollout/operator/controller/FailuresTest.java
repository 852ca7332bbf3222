package io.modelrollout.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.StandardHttpRequest;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Which failures are expected outcomes, which are surfaced, and how long to back off. */
class FailuresTest {
  static KubernetesClientException api(int code, String message, String causeReason) {
    StatusBuilder b = new StatusBuilder().withCode(code).withMessage(message);
    if (causeReason != null) {
      b.withNewDetails().addNewCause().withReason(causeReason).endCause().endDetails();
    }
    Status s = b.build();
    return new KubernetesClientException(s);
  }

  @Test
  void aTerminatingNamespaceIsNothingToReport() {
    var e =
        api(
            403,
            "deployments \"fraud-x\" is forbidden: unable to create new content in namespace ml"
                + " because it is being terminated",
            "NamespaceTerminating");
    assertThat(Failures.classify(e)).isEqualTo(Failures.Kind.GONE);
    assertThat(Failures.classify(new ApplyException("apply Deployment fraud-x", e)))
        .isEqualTo(Failures.Kind.GONE);
    assertThat(Failures.classify(api(403, "... because it is being terminated", null)))
        .isEqualTo(Failures.Kind.GONE);
  }

  @Test
  void conflictsAndVanishedObjectsAreRetriedQuietly() {
    assertThat(Failures.classify(api(409, "the object has been modified", null)))
        .isEqualTo(Failures.Kind.CONFLICT);
    assertThat(Failures.classify(api(404, "not found", null))).isEqualTo(Failures.Kind.CONFLICT);
  }

  @Test
  void refusalsAreSurfacedAndBugsKeepTheirStackTrace() {
    assertThat(Failures.classify(api(500, "failed to allocate a serviceIP: range is full", null)))
        .isEqualTo(Failures.Kind.API);
    assertThat(Failures.classify(api(403, "forbidden: cannot create services", null)))
        .isEqualTo(Failures.Kind.API);
    assertThat(Failures.classify(new NullPointerException())).isEqualTo(Failures.Kind.UNEXPECTED);
  }

  /** What a busy, failing or unreachable API server answers: never a crash, never a hot loop. */
  static Stream<RuntimeException> transientApiErrors() {
    var timeout = new SocketTimeoutException("timeout");
    return Stream.of(
        api(429, "Too many requests, please try again later.", null),
        api(503, "the server is currently unable to handle the request", null),
        api(504, "the server was unable to return a response in the time allotted", null),
        // how the client reports a request that timed out: no HTTP status at all
        new KubernetesClientException(
            "PATCH ... timed out",
            timeout,
            0,
            null,
            new StandardHttpRequest.Builder()
                .uri("https://127.0.0.1:6443/apis/apps/v1/namespaces/ml/deployments/fraud")
                .build()),
        new ApplyException("apply Service fraud", api(503, "unavailable", null)));
  }

  @ParameterizedTest
  @MethodSource("transientApiErrors")
  void busyUnavailableAndTimedOutApiServersAreRetriedWithBackoff(RuntimeException e) {
    assertThat(Failures.classify(e))
        .as("retried with backoff and surfaced, neither dropped (GONE) nor re-read at once")
        .isEqualTo(Failures.Kind.API);
    Failures f = new Failures();
    var id = new io.javaoperatorsdk.operator.processing.event.ResourceID("fraud", "ml");
    Duration previous = Duration.ZERO;
    Duration total = Duration.ZERO;
    for (int i = 0; i < 5; i++) {
      Duration next = Failures.backoff(f.failed(id));
      assertThat(next)
          .as("attempt %d waits longer than the one before", i + 1)
          .isGreaterThan(previous);
      previous = next;
      total = total.plus(next);
    }
    assertThat(total)
        .as("five failures in a row span seconds, not a hot loop")
        .isGreaterThan(Duration.ofSeconds(20));
  }

  @Test
  void theBackoffGrowsWithJitterUpToFiveMinutes() {
    for (int i = 0; i < 50; i++) {
      assertThat(Failures.backoff(1)).isBetween(Duration.ofMillis(800), Duration.ofMillis(1200));
      assertThat(Failures.backoff(4)).isBetween(Duration.ofMillis(6400), Duration.ofMillis(9600));
      assertThat(Failures.backoff(40)).isBetween(Duration.ofMinutes(4), Duration.ofMinutes(6));
    }
    Failures f = new Failures();
    var id = new io.javaoperatorsdk.operator.processing.event.ResourceID("a", "ns");
    assertThat(f.failed(id)).isEqualTo(1);
    assertThat(f.failed(id)).isEqualTo(2);
    f.succeeded(id);
    assertThat(f.failed(id)).isEqualTo(1);
  }

  @Test
  void theApiServersReasonIsOneLine() {
    assertThat(
            new ApplyException(
                    "apply Service fraud", api(422, "Service \"fraud\" is invalid", null))
                .getMessage())
        .isEqualTo("cannot apply Service fraud: Service \"fraud\" is invalid (HTTP 422)");
  }
}
