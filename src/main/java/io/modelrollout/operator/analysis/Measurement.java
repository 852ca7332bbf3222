package io.modelrollout.operator.analysis;

import java.util.List;

/**
 * The outcome of one gate query: a value, no data, or an error (Prometheus unreachable, a query
 * error, several series, NaN), each with the query as sent; for a comparison gate the counts of
 * both sides per bucket or class; for an A/B metric the sums of both variants.
 */
public sealed interface Measurement {
  String query();

  /** A value was measured; {@code baseline} is the stable revision's value for relative gates. */
  record Value(double value, Double baseline, String query) implements Measurement {
    public Value(double value, String query) {
      this(value, null, query);
    }
  }

  /** The query returned no series. */
  record NoData(String query, String message) implements Measurement {}

  /** The query could not be answered; the gate is inconclusive. */
  record Error(ErrorKind kind, String message, String query) implements Measurement {}

  /**
   * A comparison gate's counts on one layout: per bucket (ascending {@code le} bounds, per-bucket
   * not cumulative) or per class, for stable and the new revision.
   *
   * @param histogram buckets are ordered bounds (a KS test applies), otherwise classes
   */
  record Distributions(
      List<String> labels, double[] stable, double[] canary, boolean histogram, String query)
      implements Measurement {}

  /**
   * An A/B metric's sums for control (stable) and treatment: observations n, their sum and sum of
   * squares (for a rate: trials, successes, successes).
   */
  record Samples(Sums control, Sums treatment, boolean rate, String query) implements Measurement {}

  /** n, Σx and Σx² of one variant. */
  record Sums(double n, double sum, double sumOfSquares) {}

  /** Why a query could not be answered. */
  enum ErrorKind {
    UNREACHABLE,
    TIMEOUT,
    QUERY_ERROR,
    MANY_SERIES,
    NOT_A_NUMBER,
    AUTH
  }
}
