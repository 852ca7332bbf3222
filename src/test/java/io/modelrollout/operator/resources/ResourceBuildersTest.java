package io.modelrollout.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.RevisionServices;
import io.modelrollout.operator.api.RolloutStrategy;
import io.modelrollout.operator.api.ServiceSpec;
import io.modelrollout.operator.api.TrafficProvider;
import io.modelrollout.operator.testing.Fixtures;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceBuildersTest {
  ModelDeployment md() {
    ModelDeployment md = Fixtures.model("ml", "fraud", "2.3.0", 3);
    md.getMetadata().setUid("uid-1");
    return md;
  }

  @Test
  void theRevisionHashIgnoresMapOrderAndFollowsTemplateAndModel() {
    ModelDeployment a = md();
    ModelDeployment b = md();
    Map<String, String> reordered = new LinkedHashMap<>();
    reordered.put("z", "1");
    reordered.put("a", "2");
    a.getSpec().template.getMetadata().setLabels(reordered);
    Map<String, String> ordered = new LinkedHashMap<>();
    ordered.put("a", "2");
    ordered.put("z", "1");
    b.getSpec().template.getMetadata().setLabels(ordered);
    assertThat(RevisionHash.of(a.getSpec()))
        .isEqualTo(RevisionHash.of(b.getSpec()))
        .hasSize(10)
        .matches("[a-z0-9]+");
    b.getSpec().model.version = "2.3.1";
    assertThat(RevisionHash.of(b.getSpec())).isNotEqualTo(RevisionHash.of(a.getSpec()));
    ModelDeployment c = md();
    c.getSpec().replicas = 9;
    assertThat(RevisionHash.of(c.getSpec()))
        .as("replicas are not part of a revision")
        .isEqualTo(RevisionHash.of(md().getSpec()));
  }

  @Test
  void theDeploymentCarriesLabelsOwnerAndModelEnv() {
    ModelDeployment md = md();
    md.getSpec()
        .template
        .getSpec()
        .getContainers()
        .get(0)
        .setEnv(List.of(env("MODEL_VERSION", "stale"), env("LOG_LEVEL", "debug")));
    Deployment d = RevisionDeployments.desired(md, "abc", 2);
    assertThat(d.getMetadata().getName()).isEqualTo("fraud-abc");
    assertThat(d.getSpec().getSelector().getMatchLabels())
        .isEqualTo(Map.of("app.kubernetes.io/name", "fraud", "modelrollout.io/revision", "abc"));
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("team", "risk")
        .containsEntry("modelrollout.io/version", "2.3.0");
    assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .extracting(EnvVar::getName, EnvVar::getValue)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("LOG_LEVEL", "debug"),
            org.assertj.core.groups.Tuple.tuple("MODEL_NAME", "fraud-detector"),
            org.assertj.core.groups.Tuple.tuple("MODEL_VERSION", "2.3.0"),
            org.assertj.core.groups.Tuple.tuple("MODEL_URI", "s3://models/fraud/2.3.0"));
    assertThat(d.getMetadata().getOwnerReferences().get(0).getUid()).isEqualTo("uid-1");
    assertThat(md.getSpec().template.getSpec().getContainers().get(0).getEnv())
        .as("the spec object is not modified")
        .hasSize(2);
  }

  @Test
  void servicesSelectTheirRevisionsAndTheEntryFollowsTheWeight() {
    ModelDeployment md = md();
    Map<String, String> both = ModelServices.replicaRatioSelector(md, "s", "c", 30);
    assertThat(both).isEqualTo(Map.of("app.kubernetes.io/name", "fraud"));
    assertThat(ModelServices.replicaRatioSelector(md, "s", "c", 0))
        .containsEntry("modelrollout.io/revision", "s");
    assertThat(ModelServices.replicaRatioSelector(md, "s", "c", 100))
        .containsEntry("modelrollout.io/revision", "c");
    assertThat(ModelServices.replicaRatioSelector(md, "s", null, 0))
        .containsEntry("modelrollout.io/revision", "s");
    List<Service> svcs = ModelServices.desired(md, "s", null, both);
    assertThat(svcs)
        .extracting(s -> s.getMetadata().getName())
        .containsExactly("fraud", "fraud-stable", "fraud-canary");
    assertThat(svcs.get(2).getSpec().getSelector())
        .as("no canary: the canary Service selects stable")
        .containsEntry("modelrollout.io/revision", "s");
    assertThat(svcs.get(1).getSpec().getPorts().get(0).getTargetPort())
        .isEqualTo(new IntOrString("http"));
  }

  @Test
  void perRevisionServicesAreKeptWhereSomethingUsesThem() {
    ModelDeployment md = md();
    assertThat(ModelServices.kept(md, TrafficProvider.GatewayAPI, RolloutStrategy.Canary))
        .as("a route's backends")
        .isEqualTo(new ModelServices.Kept(true, true));
    assertThat(ModelServices.kept(md, TrafficProvider.Istio, RolloutStrategy.BlueGreen))
        .isEqualTo(new ModelServices.Kept(true, true));
    assertThat(ModelServices.kept(md, TrafficProvider.ReplicaRatio, RolloutStrategy.Canary))
        .as("ReplicaRatio: the entry Service alone carries traffic")
        .isEqualTo(new ModelServices.Kept(false, false));
    assertThat(ModelServices.kept(md, TrafficProvider.ReplicaRatio, RolloutStrategy.ABTest))
        .isEqualTo(new ModelServices.Kept(false, false));
    assertThat(ModelServices.kept(md, TrafficProvider.ReplicaRatio, RolloutStrategy.BlueGreen))
        .as("the blue-green preview")
        .isEqualTo(new ModelServices.Kept(false, true));
    md.getSpec().service = new ServiceSpec();
    md.getSpec().service.revisionServices = RevisionServices.Always;
    assertThat(ModelServices.kept(md, TrafficProvider.ReplicaRatio, RolloutStrategy.Canary))
        .isEqualTo(new ModelServices.Kept(true, true));
    md.getSpec().service.revisionServices = RevisionServices.Auto;
    assertThat(
            ModelServices.desired(
                    md,
                    "s",
                    "c",
                    Map.of(),
                    ModelServices.kept(md, TrafficProvider.ReplicaRatio, RolloutStrategy.BlueGreen))
                .stream()
                .map(x -> x.getMetadata().getName()))
        .containsExactly("fraud", "fraud-canary");
  }

  @Test
  void theTargetPortComesFromTheSpecOrTheFirstContainerPort() {
    ModelDeployment md = md();
    assertThat(ModelServices.targetPort(md)).contains(new IntOrString("http"));
    md.getSpec().service = new ServiceSpec();
    md.getSpec().service.targetPort = new IntOrString(9000);
    assertThat(ModelServices.targetPort(md)).contains(new IntOrString(9000));
  }

  @Test
  void labelValuesAreSanitized() {
    assertThat(Labels.labelValue("2.3.0+build/7")).isEqualTo("2.3.0_build_7");
    assertThat(Labels.labelValue("-x-")).isEqualTo("x");
    assertThat(Labels.labelValue("v".repeat(80))).hasSize(63);
  }

  private static EnvVar env(String n, String v) {
    return new EnvVarBuilder().withName(n).withValue(v).build();
  }
}
