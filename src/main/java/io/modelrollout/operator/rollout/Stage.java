package io.modelrollout.operator.rollout;

import java.time.Duration;
import java.util.List;

/** One stage of a rollout plan. Canary steps map one to one; blue-green compiles to several. */
public sealed interface Stage {
  /** The stage in words, for status and events. */
  String describe();

  /** Canary: send {@code percent} of traffic to the canary, its pods following the weight. */
  record Weight(int percent) implements Stage {
    public String describe() {
      return "setWeight " + percent;
    }
  }

  /** Wait for {@code duration}, or for a promote action when it is null. */
  record Pause(Duration duration) implements Stage {
    public String describe() {
      return duration == null
          ? "pause until promoted"
          : "pause " + io.modelrollout.operator.api.Durations.format(duration);
    }
  }

  /**
   * Wait until every named gate passes; a failing gate rolls back. With {@code minDuration} (a
   * shadow's), gates keep being measured until it has passed, and a comparison gate counts a
   * measurement only from {@code minSamples} predictions of the new revision.
   */
  record Analysis(List<String> gates, String label, Duration minDuration, int minSamples)
      implements Stage {
    Analysis(List<String> gates, String label) {
      this(gates, label, null, 0);
    }

    public String describe() {
      return label
          + " "
          + String.join(", ", gates)
          + (minDuration == null
              ? ""
              : " for " + io.modelrollout.operator.api.Durations.format(minDuration));
    }
  }

  /**
   * Shadow: run {@code replicas} pods of the new revision with no live traffic and mirror {@code
   * percent} of requests (those matching any of {@code matches}, or all) to them.
   */
  record Shadow(int replicas, int percent, List<RequestMatchSpec> matches) implements Stage {
    public String describe() {
      return "shadow with "
          + replicas
          + (replicas == 1 ? " pod" : " pods")
          + ", mirroring "
          + percent
          + "%"
          + (matches.isEmpty() ? "" : " of matching requests");
    }
  }

  /** A/B test: the weight in force stays; the test decides when the stage ends. */
  record Experiment(io.modelrollout.operator.api.ABTestSpec spec) implements Stage {
    public String describe() {
      return "A/B test "
          + String.join(", ", spec.metrics.stream().map(m -> m.name).toList())
          + " at "
          + spec.treatmentWeightOrDefault()
          + "%";
    }
  }

  /** Mirror {@code percent} of live requests to the canary. */
  record Mirror(int percent) implements Stage {
    public String describe() {
      return "setMirror " + percent;
    }
  }

  /** Send requests matching any condition to the canary; an empty list removes the route. */
  record HeaderRoute(List<RouteMatchSpec> matches) implements Stage {
    public String describe() {
      return matches.isEmpty()
          ? "remove header route"
          : "setHeaderRoute "
              + String.join(
                  " or ",
                  matches.stream()
                      .map(m -> (m.cookie() ? "cookie " : "header ") + m.name() + "=" + m.value())
                      .toList());
    }
  }

  /** Blue-green: run {@code replicas} pods of the new revision behind the preview Service. */
  record Preview(int replicas) implements Stage {
    public String describe() {
      return "preview with " + replicas + (replicas == 1 ? " pod" : " pods");
    }
  }

  /** Blue-green: scale the new revision to full size, then switch all traffic to it at once. */
  record Switch() implements Stage {
    public String describe() {
      return "switch traffic";
    }
  }

  /** Last stage: full size and all traffic, then the canary becomes stable. */
  record Promote() implements Stage {
    public String describe() {
      return "promote";
    }
  }
}
