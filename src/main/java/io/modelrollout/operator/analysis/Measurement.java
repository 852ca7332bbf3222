package io.modelrollout.operator.analysis;

/**
 * The outcome of one gate query: a value, no data, or an error (Prometheus unreachable, a query
 * error, several series, NaN), each with the query as sent.
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
