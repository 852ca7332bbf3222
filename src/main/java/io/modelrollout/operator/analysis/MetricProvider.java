package io.modelrollout.operator.analysis;

import java.util.Map;

/** Answers instant queries; never throws: failures come back as a {@link Measurement}. */
public interface MetricProvider {
  /**
   * Runs {@code query} against {@code target}.
   *
   * @return a value, no data, or a typed error; never null
   */
  Measurement query(QueryTarget target, String query);

  /**
   * Runs a query that returns one series per value of {@code label} (e.g. {@code sum by (le)
   * (...)}), for comparison gates.
   *
   * @return the values by label value, or the failure (no data, a typed error); never null
   */
  default Labeled queryByLabel(QueryTarget target, String query, String label) {
    return Labeled.failed(
        new Measurement.Error(
            Measurement.ErrorKind.QUERY_ERROR,
            "this metric provider cannot answer queries with one series per " + label,
            query));
  }

  /** Values by label value, or why there are none. */
  record Labeled(Map<String, Double> values, Measurement failure) {
    public static Labeled of(Map<String, Double> values) {
      return new Labeled(Map.copyOf(values), null);
    }

    public static Labeled failed(Measurement failure) {
      return new Labeled(Map.of(), failure);
    }

    public boolean ok() {
      return failure == null;
    }
  }
}
