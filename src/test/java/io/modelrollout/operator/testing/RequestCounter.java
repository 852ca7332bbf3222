package io.modelrollout.operator.testing;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every request a client sends, to count the writes an operator makes. */
public class RequestCounter implements Interceptor {
  private final List<String> requests = new CopyOnWriteArrayList<>();

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    requests.add(request.method() + " " + request.uri().getPath());
  }

  /** Write requests (POST, PUT, PATCH, DELETE) seen so far. */
  public List<String> writes() {
    return requests.stream().filter(r -> !r.startsWith("GET ")).toList();
  }

  /** Every request seen so far, as "METHOD /path". */
  public List<String> all() {
    return List.copyOf(requests);
  }

  public void reset() {
    requests.clear();
  }
}
