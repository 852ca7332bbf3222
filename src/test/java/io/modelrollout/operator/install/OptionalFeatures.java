package io.modelrollout.operator.install;

import java.util.Map;

/** Chart values that turn every optional part on. */
final class OptionalFeatures {
  static final Map<String, Object> VALUES =
      Map.of(
          "replicas",
          2,
          "serviceMonitor.enabled",
          true,
          "prometheusRule.enabled",
          true,
          "grafanaDashboard.enabled",
          true,
          "prometheus.address",
          "http://prometheus.monitoring:9090",
          "prometheus.authSecret.name",
          "prometheus-operator-auth",
          "podAnnotations.team",
          "ml-platform",
          "jvmOptions",
          "-XX:+PrintFlagsFinal");

  private OptionalFeatures() {}
}
