package io.modelrollout.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import org.junit.jupiter.api.Test;

/** A live object matches again only when it or the desired object changed. */
class MatchMemoTest {
  final MatchMemo memo = new MatchMemo();

  @Test
  void aMatchHoldsForTheSameLiveVersionAndTheSameDesiredObject() {
    Service desired = service("app-stable", "r1");
    Service live = live(desired, "100");
    assertThat(memo.known(desired, live)).isFalse();
    memo.matched(desired, live);
    assertThat(memo.known(service("app-stable", "r1"), live)).isTrue();
    assertThat(memo.known(service("app-stable", "r2"), live)).as("desired changed").isFalse();
    assertThat(memo.known(desired, live(desired, "101"))).as("live changed").isFalse();
    assertThat(memo.known(service("app-canary", "r1"), live(service("app-canary", "r1"), "100")))
        .as("another object")
        .isFalse();
    memo.forget(desired);
    assertThat(memo.known(desired, live)).isFalse();
  }

  @Test
  void aKnownRecipeNeedsNoDesiredObjectUntilTheLiveObjectChanges() {
    Service desired = service("app", "r1");
    Service live = live(desired, "100");
    assertThat(memo.knownRecipe(live, "7/r1")).isFalse();
    memo.matched(desired, live, "7/r1");
    assertThat(memo.knownRecipe(live, "7/r1")).isTrue();
    assertThat(memo.knownRecipe(live, "8/r1")).as("the ModelDeployment changed").isFalse();
    assertThat(memo.knownRecipe(live(desired, "101"), "7/r1")).as("live changed").isFalse();
    assertThat(memo.knownRecipe(live, null)).isFalse();
    memo.recipe(live, "8/r1"); // matched again, by fingerprint, for a newer ModelDeployment
    assertThat(memo.knownRecipe(live, "8/r1")).isTrue();
    assertThat(memo.known(desired, live)).as("the fingerprint is kept").isTrue();
  }

  @Test
  void anObjectWithoutAResourceVersionIsNeverRemembered() {
    Service desired = service("app", "r1");
    memo.matched(desired, live(desired, null));
    assertThat(memo.size()).isZero();
  }

  @Test
  void theMemoIsBounded() {
    for (int i = 0; i <= MatchMemo.MAX_ENTRIES; i++) {
      Service s = service("s-" + i, "r");
      memo.matched(s, live(s, "1"));
    }
    assertThat(memo.size()).isLessThanOrEqualTo(MatchMemo.MAX_ENTRIES);
  }

  private static Service service(String name, String revision) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("ml")
        .endMetadata()
        .withNewSpec()
        .addToSelector("modelrollout.io/revision", revision)
        .endSpec()
        .build();
  }

  private static Service live(Service desired, String resourceVersion) {
    Service s = new ServiceBuilder(desired).build();
    s.getMetadata().setResourceVersion(resourceVersion);
    return s;
  }
}
