package io.modelrollout.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import org.junit.jupiter.api.Test;

/** Which nodes of an Edge fleet count as online: Ready, and not tainted unreachable. */
class ModeReaderTest {
  static Node node(String ready, String taint) {
    NodeBuilder b = new NodeBuilder().withNewMetadata().withName("kiosk-1").endMetadata();
    if (taint != null) {
      b.withNewSpec().addNewTaint().withKey(taint).withEffect("NoExecute").endTaint().endSpec();
    }
    if (ready != null) {
      b.withNewStatus()
          .addNewCondition()
          .withType("Ready")
          .withStatus(ready)
          .endCondition()
          .endStatus();
    }
    return b.build();
  }

  @Test
  void aReadyNodeIsOnline() {
    assertThat(ModeReader.online(node("True", null))).isTrue();
    assertThat(ModeReader.online(node("True", "node.kubernetes.io/not-ready-yet-other")))
        .as("another taint does not matter")
        .isTrue();
  }

  @Test
  void aNodeTaintedUnreachableIsSkippedEvenWhileItsReadyConditionIsStale() {
    // the node lifecycle controller taints first; the Ready condition may still say True
    assertThat(ModeReader.online(node("True", "node.kubernetes.io/unreachable"))).isFalse();
  }

  @Test
  void aNotReadyOrUnknownNodeIsOffline() {
    assertThat(ModeReader.online(node("False", null))).isFalse();
    assertThat(ModeReader.online(node("Unknown", null))).isFalse();
    assertThat(ModeReader.online(node(null, null))).as("no status yet").isFalse();
  }
}
