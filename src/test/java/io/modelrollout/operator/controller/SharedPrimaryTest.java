package io.modelrollout.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.testing.Fixtures;
import org.junit.jupiter.api.Test;

/** The SDK's copy is skipped; the check that reconciles leave the cached object alone works. */
class SharedPrimaryTest {
  @Test
  void theReconcileGetsTheCachedObjectItself() {
    ModelDeployment md = Fixtures.model("ns", "same", "1.0.0", 1);
    assertThat(new SharedPrimary().clone(md)).isSameAs(md);
  }

  @Test
  void aChangedObjectIsRecordedAndAnUnchangedOneIsNot() {
    ModelDeployment kept = Fixtures.model("ns", "kept", "1.0.0", 1);
    SharedPrimary.verify(Serialization.asJson(kept), kept);
    ModelDeployment changed = Fixtures.model("ns", "changed", "1.0.0", 1);
    String before = Serialization.asJson(changed);
    changed.getSpec().model.version = "2.0.0";
    SharedPrimary.verify(before, changed);
    assertThat(SharedPrimary.broken())
        .anySatisfy(b -> assertThat(b).startsWith("ns/changed: "))
        .noneSatisfy(b -> assertThat(b).startsWith("ns/kept: "));
  }
}
