package io.modelrollout.operator.rollout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The order in which an edge rollout takes the fleet's nodes (pure): by a hash of node name and
 * revision, so every restart picks the same nodes and every new version other ones; with a topology
 * key, one node of each value in turn (values also ordered by hash), so that the first steps cover
 * every hardware class or zone.
 */
public final class FleetOrder {
  private FleetOrder() {}

  /** A node and its topology value ("" when it has none). */
  public record Member(String name, String topology) {}

  public static List<String> of(List<Member> nodes, String revision) {
    Map<String, List<Member>> groups = new LinkedHashMap<>();
    nodes.stream()
        .sorted(
            Comparator.comparing((Member m) -> hash(revision, m.name()))
                .thenComparing(Member::name))
        .forEach(m -> groups.computeIfAbsent(m.topology(), k -> new ArrayList<>()).add(m));
    List<List<Member>> ordered =
        groups.entrySet().stream()
            .sorted(
                Comparator.comparing(
                        (Map.Entry<String, List<Member>> e) ->
                            hash(revision, "topology/" + e.getKey()))
                    .thenComparing(Map.Entry::getKey))
            .map(Map.Entry::getValue)
            .toList();
    List<String> out = new ArrayList<>();
    for (int i = 0; out.size() < nodes.size(); i++) {
      for (List<Member> g : ordered) {
        if (i < g.size()) {
          out.add(g.get(i).name());
        }
      }
    }
    return out;
  }

  private static String hash(String revision, String name) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest((revision + "/" + name).getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 8; i++) {
        sb.append(String.format("%02x", d[i]));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
