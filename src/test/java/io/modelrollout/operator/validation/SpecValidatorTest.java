package io.modelrollout.operator.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.ModelDeploymentSpec;
import io.modelrollout.operator.api.RolloutPolicySpec;
import io.modelrollout.operator.api.TrafficProvider;
import io.modelrollout.operator.api.TrafficSpec;
import io.modelrollout.operator.testing.Fixtures;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SpecValidatorTest {
  static final Set<TrafficProvider> ONLY_REPLICAS = EnumSet.of(TrafficProvider.ReplicaRatio);

  ModelDeploymentSpec spec() {
    return Fixtures.model("ml", "fraud", "1.0.0", 2).getSpec();
  }

  List<String> validate(
      ModelDeploymentSpec s,
      RolloutPolicySpec p,
      String missing,
      Set<TrafficProvider> installed,
      String prom) {
    return SpecValidator.validate(
        s, new SpecValidator.World("ml", p, missing, installed, prom, null));
  }

  @Test
  void aPlainSpecIsValid() {
    assertThat(validate(spec(), null, null, ONLY_REPLICAS, null)).isEmpty();
  }

  @Test
  void aMissingPolicyIsNamed() {
    assertThat(validate(spec(), null, "safe", ONLY_REPLICAS, null))
        .containsExactly("RolloutPolicy 'safe' not found in namespace 'ml'");
  }

  @Test
  void aProviderThatIsNotInstalledIsExplained() {
    ModelDeploymentSpec s = spec();
    s.traffic = new TrafficSpec();
    s.traffic.provider = TrafficProvider.Istio;
    assertThat(validate(s, null, null, ONLY_REPLICAS, null))
        .containsExactly(
            "traffic.provider is Istio but the cluster does not serve networking.istio.io/v1 VirtualService; install Istio");
  }

  @Test
  void gatesNeedAPrometheusAddress() {
    RolloutPolicySpec p = Fixtures.canarySpec(1, CanaryStep.analysis("errors"));
    p.gates.add(Fixtures.gate("errors", "up", 1));
    assertThat(validate(spec(), p, null, ONLY_REPLICAS, null))
        .containsExactly(
            "gate errors has no prometheus.address and the operator has no default address (set MRO_PROMETHEUS_ADDRESS)");
    assertThat(validate(spec(), p, null, ONLY_REPLICAS, "http://prom:9090")).isEmpty();
  }

  @Test
  void whatTheSchemaWouldRejectIsCaughtToo() {
    RolloutPolicySpec p =
        Fixtures.canarySpec(1, CanaryStep.analysis("latency"), CanaryStep.pause("soon"));
    p.progressDeadline = "10 minutes";
    assertThat(validate(spec(), p, null, ONLY_REPLICAS, "http://p"))
        .containsExactlyInAnyOrder(
            "progressDeadline: '10 minutes' must be a duration such as 30s, 5m, 1h30m or 500ms",
            "gate 'latency' is referenced but not defined in gates",
            "pause.duration: 'soon' must be a duration such as 30s, 5m, 1h30m or 500ms");
  }

  @Test
  void mirroringNeedsARouter() {
    CanaryStep mirror = new CanaryStep();
    mirror.setMirror = new CanaryStep.Mirror();
    mirror.setMirror.percent = 10;
    assertThat(validate(spec(), Fixtures.canarySpec(1, mirror), null, ONLY_REPLICAS, null))
        .containsExactly(
            "the policy mirrors traffic or routes by header, which needs traffic.provider GatewayAPI or Istio; ReplicaRatio can only split by ready pods");
  }

  @Test
  void aShadowCannotRunOnReplicaRatio() {
    var p =
        io.modelrollout.operator.testing.StrategyFixtures.shadow(
            10, "1m", io.modelrollout.operator.api.ShadowSpec.FollowUp.Direct, 0.1);
    assertThat(validate(spec(), p, null, ONLY_REPLICAS, "http://prom"))
        .containsExactly(
            "the policy mirrors traffic or routes by header, which needs traffic.provider GatewayAPI or Istio; ReplicaRatio can only split by ready pods");
  }

  @Test
  void shadowAndABTestSettingsTheSchemaCannotSee() {
    var shadow =
        io.modelrollout.operator.testing.StrategyFixtures.shadow(
            10, "1m", io.modelrollout.operator.api.ShadowSpec.FollowUp.Canary, 0.1);
    shadow.shadow.replicas = 2;
    shadow.gates.get(0).comparison.labels = "version={{version}}";
    var gw = EnumSet.allOf(TrafficProvider.class);
    ModelDeploymentSpec routed = spec();
    routed.traffic = new TrafficSpec();
    routed.traffic.provider = TrafficProvider.Istio;
    assertThat(validate(routed, shadow, null, gw, "http://prom"))
        .containsExactlyInAnyOrder(
            "gate prediction-drift comparison.labels: placeholder {{version}} must be inside a quoted label value, e.g. version=\"{{version}}\"",
            "shadow.replicas 2 exceeds the follow-up canary's maxSurge 1: the shadow's pods run beside all of stable's; raise then.canary.maxSurge");
    var ab = io.modelrollout.operator.testing.StrategyFixtures.abTest("2h", "1h", 100);
    ab.abTest.metrics.add(ab.abTest.metrics.get(0));
    assertThat(validate(spec(), ab, null, gw, null))
        .containsExactlyInAnyOrder(
            "abTest.minDuration must not be longer than abTest.maxDuration",
            "abTest metric name 'conversion' is used twice",
            "abTest has no prometheus.address and the operator has no default address (set MRO_PROMETHEUS_ADDRESS)");
  }

  @Test
  void aTargetPortIsNeeded() {
    ModelDeploymentSpec s = spec();
    s.template.getSpec().getContainers().get(0).setPorts(List.of());
    assertThat(validate(s, null, null, ONLY_REPLICAS, null))
        .containsExactly(
            "spec.service.targetPort is not set and the first container declares no port; set one of them");
  }
}
