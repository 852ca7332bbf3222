package io.modelrollout.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The gate-lag quantile, from two snapshots of a cumulative histogram. */
class GateLoadTest {
  private static Map<Double, Double> buckets(double... cumulative) {
    double[] le = {0.5, 1.0, 2.0, Double.POSITIVE_INFINITY};
    Map<Double, Double> m = new TreeMap<>();
    for (int i = 0; i < le.length; i++) {
      m.put(le[i], cumulative[i]);
    }
    return m;
  }

  @Test
  void theQuantileIsInterpolatedWithinItsBucketOverTheWindowOnly() {
    Map<Double, Double> before = buckets(100, 100, 100, 100); // all before the window
    Map<Double, Double> after =
        buckets(150, 190, 200, 200); // 50 ≤ .5 s, 40 in (.5, 1], 10 in (1, 2]
    assertThat(GateLoad.quantile(before, after, 0.5)).isEqualTo(0.5);
    assertThat(GateLoad.quantile(before, after, 0.7)).isCloseTo(0.75, within(1e-9));
    assertThat(GateLoad.quantile(before, after, 0.95)).isCloseTo(1.5, within(1e-9));
  }

  @Test
  void aQuantileInTheOpenBucketIsTheLastFiniteBound() {
    Map<Double, Double> after = buckets(0, 0, 1, 10);
    assertThat(GateLoad.quantile(buckets(0, 0, 0, 0), after, 0.95)).isEqualTo(2.0);
    assertThat(GateLoad.quantile(after, after, 0.95)).isNaN();
  }
}
