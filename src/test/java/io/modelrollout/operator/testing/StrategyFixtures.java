package io.modelrollout.operator.testing;

import io.modelrollout.operator.analysis.Measurement;
import io.modelrollout.operator.api.ABTestSpec;
import io.modelrollout.operator.api.CanarySpec;
import io.modelrollout.operator.api.CanaryStep;
import io.modelrollout.operator.api.ComparisonSpec;
import io.modelrollout.operator.api.GateSpec;
import io.modelrollout.operator.api.RequestMatch;
import io.modelrollout.operator.api.RolloutPolicySpec;
import io.modelrollout.operator.api.RolloutStrategy;
import io.modelrollout.operator.api.ShadowSpec;
import java.util.ArrayList;
import java.util.List;

/** Shadow and A/B test policies, gates and measurements for tests. */
public final class StrategyFixtures {
  public static final String PREDICTIONS = "model_prediction_score";
  public static final String LABELS = "model=\"{{model}}\",version=\"{{version}}\"";

  private StrategyFixtures() {}

  /** A shadow mirroring {@code percent} of POST /predict, gated by a PSI comparison. */
  public static RolloutPolicySpec shadow(
      int percent, String duration, ShadowSpec.FollowUp then, double maxPsi) {
    RolloutPolicySpec p = new RolloutPolicySpec();
    p.strategy = RolloutStrategy.Shadow;
    p.progressDeadline = "60s";
    p.shadow = new ShadowSpec();
    p.shadow.mirrorPercent = percent;
    RequestMatch m = new RequestMatch();
    m.method = "POST";
    m.pathPrefix = "/predict";
    p.shadow.match = new ArrayList<>(List.of(m));
    p.shadow.duration = duration;
    p.shadow.minSamples = 100;
    p.shadow.gates = new ArrayList<>(List.of("prediction-drift"));
    p.shadow.then = new ShadowSpec.Then();
    p.shadow.then.strategy = then;
    if (then == ShadowSpec.FollowUp.Canary) {
      p.shadow.then.canary = new CanarySpec();
      p.shadow.then.canary.steps =
          new ArrayList<>(List.of(CanaryStep.weight(50), CanaryStep.pause("1s")));
      p.shadow.then.canary.maxSurge = 1;
      p.shadow.then.canary.maxUnavailable = 0;
      p.shadow.then.canary.scaleDownDelay = "2s";
    }
    p.gates.add(psiGate("prediction-drift", maxPsi));
    return p;
  }

  /** A comparison gate on the prediction histogram, by version. */
  public static GateSpec psiGate(String name, double maxPsi) {
    GateSpec g = new GateSpec();
    g.name = name;
    g.comparison = new ComparisonSpec();
    g.comparison.histogram = PREDICTIONS;
    g.comparison.labels = LABELS;
    g.comparison.window = "1m";
    g.comparison.maxPSI = maxPsi;
    g.interval = "1s";
    g.count = 2;
    return g;
  }

  /** An A/B test on a conversion rate, 50/50, deciding after minDuration. */
  public static RolloutPolicySpec abTest(String minDuration, String maxDuration, int minSamples) {
    RolloutPolicySpec p = new RolloutPolicySpec();
    p.strategy = RolloutStrategy.ABTest;
    p.progressDeadline = "60s";
    p.abTest = new ABTestSpec();
    p.abTest.treatmentWeight = 50;
    p.abTest.minDuration = minDuration;
    p.abTest.maxDuration = maxDuration;
    p.abTest.minSamples = minSamples;
    p.abTest.interval = "1s";
    ABTestSpec.ABMetric m = new ABTestSpec.ABMetric();
    m.name = "conversion";
    m.rate = new ABTestSpec.Rate();
    m.rate.successes = "checkout_completed_total";
    m.rate.trials = "checkout_started_total";
    m.labels = LABELS;
    m.minimumDetectableEffect = 0.05;
    p.abTest.metrics = new ArrayList<>(List.of(m));
    return p;
  }

  /** Per-bucket counts of both versions, as a comparison gate reads them. */
  public static Measurement.Distributions histogram(double[] stable, double[] canary) {
    List<String> bounds = new ArrayList<>();
    for (int i = 0; i < stable.length - 1; i++) bounds.add(String.valueOf((i + 1) / 10.0));
    bounds.add("+Inf");
    return new Measurement.Distributions(bounds, stable, canary, true, "q(histogram)");
  }

  /** Counts over 10 buckets, shaped like a bell centred at {@code centre} (0..9). */
  public static double[] bell(double total, double centre) {
    double[] w = new double[10];
    double sum = 0;
    for (int i = 0; i < 10; i++) {
      w[i] = Math.exp(-0.5 * Math.pow((i - centre) / 1.8, 2));
      sum += w[i];
    }
    for (int i = 0; i < 10; i++) w[i] = Math.round(total * w[i] / sum);
    return w;
  }

  /** A rate's sums: trials and successes of control and treatment. */
  public static Measurement.Samples rate(double cn, double cs, double tn, double ts) {
    return new Measurement.Samples(
        new Measurement.Sums(cn, cs, cs), new Measurement.Sums(tn, ts, ts), true, "q(rate)");
  }
}
