package io.modelrollout.operator.analysis;

/** Answers instant queries; never throws: failures come back as a {@link Measurement}. */
public interface MetricProvider {
  /**
   * Runs {@code query} against {@code target}.
   *
   * @return a value, no data, or a typed error; never null
   */
  Measurement query(QueryTarget target, String query);
}
