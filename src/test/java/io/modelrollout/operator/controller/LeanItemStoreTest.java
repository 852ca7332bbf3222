package io.modelrollout.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.testing.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeanItemStoreTest {
  private static ManagedFieldsEntry entry() {
    return entry("kube-controller-manager");
  }

  private static ManagedFieldsEntry entry(String manager) {
    ManagedFieldsEntry e = new ManagedFieldsEntry();
    e.setManager(manager);
    e.setOperation("Apply");
    FieldsV1 f = new FieldsV1();
    f.setAdditionalProperty("f:spec", Map.of("f:replicas", Map.of()));
    e.setFieldsV1(f);
    return e;
  }

  @Test
  void modelDeploymentsAreCachedWithoutAnyManagedFields() {
    LeanItemStore<ModelDeployment> store = LeanItemStore.withoutManagedFields();
    ModelDeployment md = Fixtures.model("ml", "m", "1.0.0", 2);
    md.getMetadata().setManagedFields(List.of(entry(), entry(OperatorSettings.FIELD_MANAGER)));
    md.setStatus(new ModelDeploymentStatus());
    md.getStatus().message = "serving";
    store.put(store.getKey(md), md);
    ModelDeployment cached = store.get("ml/m");
    assertThat(cached.getMetadata().getManagedFields()).isNull();
    assertThat(cached.getStatus().message).isEqualTo("serving");
    assertThat(cached.getSpec().model.version).isEqualTo("1.0.0");
  }

  @Test
  void cachedObjectsKeepOnlyTheOperatorsOwnManagedFields() {
    LeanItemStore<Deployment> store = new LeanItemStore<>();
    Deployment d =
        new DeploymentBuilder()
            .withNewMetadata()
            .withNamespace("ml")
            .withName("m-abc")
            .withLabels(Map.of("app", "m"))
            .withManagedFields(
                List.of(
                    entry(),
                    entry(OperatorSettings.FIELD_MANAGER),
                    entry(OperatorSettings.FIELD_MANAGER + "-scale")))
            .endMetadata()
            .withNewSpec()
            .withReplicas(3)
            .endSpec()
            .build();
    String key = store.getKey(d);
    assertThat(key).isEqualTo("ml/m-abc");
    store.put(key, d);
    Deployment cached = store.get("ml/m-abc");
    // the operator's writes compare against its own entries (server-side apply matcher)
    assertThat(cached.getMetadata().getManagedFields())
        .extracting(ManagedFieldsEntry::getManager)
        .containsExactly(OperatorSettings.FIELD_MANAGER, OperatorSettings.FIELD_MANAGER + "-scale");
    assertThat(cached.getMetadata().getLabels()).containsEntry("app", "m");
    assertThat(cached.getSpec().getReplicas()).isEqualTo(3);
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.keySet()).containsExactly("ml/m-abc");
    assertThat(store.remove("ml/m-abc")).isSameAs(cached);
    assertThat(store.size()).isZero();
    assertThat(store.values()).isEmpty();
  }

  @Test
  void aTrimRemovesWhatOneInformerDoesNotNeed() {
    LeanItemStore<ModelDeployment> store =
        new LeanItemStore<>(
            md -> {
              md.setStatus(null);
              md.getSpec().template = null;
            });
    ModelDeployment md = Fixtures.model("ml", "m", "1.0.0", 2);
    md.getMetadata().setManagedFields(List.of(entry()));
    md.setStatus(new ModelDeploymentStatus());
    store.put(store.getKey(md), md);
    ModelDeployment cached = store.get("ml/m");
    assertThat(cached.getStatus()).isNull();
    assertThat(cached.getSpec().template).isNull();
    assertThat(cached.getSpec().model.version).isEqualTo("1.0.0");
    assertThat(cached.getMetadata().getManagedFields()).isNullOrEmpty();
  }
}
