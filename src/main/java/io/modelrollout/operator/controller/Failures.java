package io.modelrollout.operator.controller;

import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a failed reconcile means: the ModelDeployment or its namespace is going away (nothing to
 * do), a conflict or a vanished object (expected: retry soon, surface only if it persists), or a
 * failure to surface on the ModelDeployment; and how long to back off (exponential with jitter, per
 * ModelDeployment, reset by a successful reconcile).
 */
final class Failures {
  static final Duration FIRST = Duration.ofSeconds(1);
  static final Duration MAX = Duration.ofMinutes(5);

  /** Conflicts in a row before one is surfaced on the ModelDeployment. */
  static final int CONFLICTS_TOLERATED = 3;

  /** The kinds of failure. */
  enum Kind {
    /** Being deleted, or its namespace is terminating: do nothing. */
    GONE,
    /** A conflict or an object that vanished meanwhile: re-read and retry. */
    CONFLICT,
    /** The API server refused or failed a request. */
    API,
    /** A bug or an unexpected state: log with its stack trace. */
    UNEXPECTED
  }

  private final Map<ResourceID, Integer> attempts = new ConcurrentHashMap<>();

  static Kind classify(Throwable e) {
    KubernetesClientException k = apiCause(e);
    if (k == null) {
      return e instanceof ApplyException ? Kind.API : Kind.UNEXPECTED;
    }
    if (terminating(k)) {
      return Kind.GONE;
    }
    if (k.getCode() == 409 || k.getCode() == 404) {
      return Kind.CONFLICT;
    }
    return Kind.API;
  }

  /** Counts a failure; returns how many in a row. */
  int failed(ResourceID id) {
    return attempts.merge(id, 1, Integer::sum);
  }

  void succeeded(ResourceID id) {
    attempts.remove(id);
  }

  /** The delay before the next attempt after {@code n} failures in a row. */
  static Duration backoff(int n) {
    long base = FIRST.toMillis() << Math.min(Math.max(n - 1, 0), 20);
    long capped = Math.min(base, MAX.toMillis());
    double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
    return Duration.ofMillis(Math.max(200, (long) (capped * jitter)));
  }

  private static KubernetesClientException apiCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k) {
        return k;
      }
    }
    return null;
  }

  private static boolean terminating(KubernetesClientException k) {
    if (k.getCode() != 403 && k.getCode() != 409) {
      return false;
    }
    var status = k.getStatus();
    List<StatusCause> causes =
        status == null || status.getDetails() == null ? null : status.getDetails().getCauses();
    if (causes != null
        && causes.stream().anyMatch(c -> "NamespaceTerminating".equals(c.getReason()))) {
      return true;
    }
    String msg = status == null ? k.getMessage() : status.getMessage();
    return msg != null && msg.contains("because it is being terminated");
  }
}
