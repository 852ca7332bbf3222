package io.modelrollout.operator.testing;

import io.modelrollout.operator.analysis.Measurement;
import io.modelrollout.operator.analysis.MetricProvider;
import io.modelrollout.operator.analysis.QueryTarget;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A metric provider whose answers a test scripts: a function of the query as sent (so tests see the
 * filled-in templates), answering no data for queries it does not know.
 */
public class ScriptedMetrics implements MetricProvider {
  private final Map<String, Function<String, Measurement>> rules = new ConcurrentHashMap<>();
  private final List<String> queries = new CopyOnWriteArrayList<>();

  /** Answers {@code value} to every query containing {@code fragment}. */
  public ScriptedMetrics answer(String fragment, double value) {
    rules.put(fragment, q -> new Measurement.Value(value, q));
    return this;
  }

  public ScriptedMetrics fail(String fragment, Measurement.ErrorKind kind, String message) {
    rules.put(fragment, q -> new Measurement.Error(kind, message, q));
    return this;
  }

  @Override
  public Measurement query(QueryTarget target, String query) {
    queries.add(query);
    for (Map.Entry<String, Function<String, Measurement>> r : rules.entrySet()) {
      if (query.contains(r.getKey())) {
        return r.getValue().apply(query);
      }
    }
    return new Measurement.NoData(query, "no series");
  }

  public List<String> queries() {
    return queries;
  }
}
