package io.modelrollout.operator.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The writes one ServiceAccount sent in one namespace, as the API server's audit log (level
 * Metadata: who, what, when; no bodies) records them: every write, not only those a watch saw.
 */
final class OperatorWrites {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> WRITES = Set.of("create", "update", "patch");

  /** One write request, with the time the API server received it. */
  record Write(Instant at, String verb, String resource, String name) {
    @Override
    public String toString() {
      return at + " " + verb + " " + resource + "/" + name;
    }
  }

  private OperatorWrites() {}

  /** Creates, updates and patches of {@code resources} by {@code serviceAccount} in {@code ns}. */
  static List<Write> of(
      FullCluster cluster, String serviceAccount, String ns, Set<String> resources)
      throws Exception {
    String user = "system:serviceaccount:" + FullCluster.RELEASE_NAMESPACE + ":" + serviceAccount;
    List<Write> out = new ArrayList<>();
    for (String line : cluster.auditLog()) {
      JsonNode e = JSON.readTree(line);
      JsonNode ref = e.path("objectRef");
      if (user.equals(e.path("user").path("username").asText())
          && "ResponseComplete".equals(e.path("stage").asText())
          && ns.equals(ref.path("namespace").asText())
          && resources.contains(ref.path("resource").asText())
          && ref.path("subresource").isMissingNode()
          && WRITES.contains(e.path("verb").asText())) {
        out.add(
            new Write(
                Instant.parse(e.path("requestReceivedTimestamp").asText()),
                e.path("verb").asText(),
                ref.path("resource").asText(),
                ref.path("name").asText()));
      }
    }
    out.sort(java.util.Comparator.comparing(Write::at));
    return out;
  }

  /** The writes received in [from, to]. */
  static List<Write> between(List<Write> writes, Instant from, Instant to) {
    return writes.stream().filter(w -> !w.at().isBefore(from) && !w.at().isAfter(to)).toList();
  }
}
