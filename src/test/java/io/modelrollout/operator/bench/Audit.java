package io.modelrollout.operator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts the API requests one user made, from the kube-apiserver's audit log, between two marks
 * (byte offsets of the log), by verb and resource.
 */
final class Audit {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path log;
  private final String user;

  Audit(Path log, String user) {
    this.log = log;
    this.user = user;
  }

  /** Where the log ends now. */
  long mark() throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      return f.length();
    }
  }

  /** Requests since {@code from}: "verb resource[/subresource]" to count. */
  Map<String, Integer> since(long from) throws IOException {
    Map<String, Integer> out = new TreeMap<>();
    scan(from, false, e -> out.merge(kindOf(e), 1, Integer::sum));
    return out;
  }

  /**
   * Seconds from {@code t0} to the last request since {@code from} of this kind ("verb
   * resource[/subresource]"), by this log's user or, with {@code anyUser}, by anyone; -1 when none.
   */
  double lastAt(long from, Instant t0, String kind, boolean anyUser) throws IOException {
    Instant[] last = {null};
    scan(
        from,
        anyUser,
        e -> {
          if (kind.equals(kindOf(e))) {
            Instant at = Instant.parse(e.path("requestReceivedTimestamp").asText());
            if (last[0] == null || at.isAfter(last[0])) {
              last[0] = at;
            }
          }
        });
    return last[0] == null ? -1 : Duration.between(t0, last[0]).toMillis() / 1000.0;
  }

  /**
   * Hands each entry since {@code from} to {@code each}: this log's user's only, unless {@code
   * anyUser}. Buffered: the log holds hundreds of MB at N = 2000.
   */
  private void scan(long from, boolean anyUser, java.util.function.Consumer<JsonNode> each)
      throws IOException {
    String quotedUser = "\"" + user + "\"";
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(log)) {
      notRotated(ch.size(), from);
      ch.position(from);
      java.io.BufferedReader r =
          new java.io.BufferedReader(
              java.nio.channels.Channels.newReader(ch, StandardCharsets.UTF_8), 1 << 16);
      // a mark may fall inside a line the API server was writing, and the last line may not be
      // written in full yet: those two may be cut; any other line must parse
      String line = r.readLine();
      boolean first = true;
      while (line != null) {
        String next = r.readLine();
        if (anyUser || line.contains(quotedUser)) { // most lines are other users': not parsed
          JsonNode e;
          try {
            e = JSON.readTree(line);
          } catch (com.fasterxml.jackson.core.JsonProcessingException cut) {
            if (!first && next != null) {
              throw cut;
            }
            e = null;
          }
          if (e != null && (anyUser || user.equals(e.path("user").path("username").asText()))) {
            each.accept(e);
          }
        }
        first = false;
        line = next;
      }
    }
  }

  /** A log shorter than a mark was rotated since: its counts would be wrong, so none are made. */
  private void notRotated(long size, long from) {
    if (size < from) {
      throw new IllegalStateException(
          log + " was rotated since the mark: start the cluster with a larger AUDIT_LOG_MAXSIZE");
    }
  }

  private static String kindOf(JsonNode e) {
    JsonNode ref = e.path("objectRef");
    String resource = ref.path("resource").asText("(none)");
    if (!ref.path("subresource").asText("").isEmpty()) {
      resource += "/" + ref.path("subresource").asText();
    }
    return e.path("verb").asText() + " " + resource;
  }

  /** Writes, Events not counted (they are reported on their own). */
  static int writes(Map<String, Integer> counts) {
    return counts.entrySet().stream()
        .filter(e -> e.getKey().matches("(create|update|patch|delete|deletecollection) .*"))
        .filter(e -> !e.getKey().endsWith(" events"))
        .mapToInt(Map.Entry::getValue)
        .sum();
  }

  static int events(Map<String, Integer> counts) {
    return counts.entrySet().stream()
        .filter(e -> e.getKey().endsWith(" events"))
        .mapToInt(Map.Entry::getValue)
        .sum();
  }

  static int reads(Map<String, Integer> counts) {
    return counts.entrySet().stream()
        .filter(e -> e.getKey().matches("(get|list|watch) .*"))
        .mapToInt(Map.Entry::getValue)
        .sum();
  }
}
