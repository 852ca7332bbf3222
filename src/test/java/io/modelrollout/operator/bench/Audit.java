package io.modelrollout.operator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      f.seek(from);
      String line;
      while ((line = f.readLine()) != null) {
        JsonNode e =
            JSON.readTree(
                new String(line.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
        if (!user.equals(e.path("user").path("username").asText())) {
          continue;
        }
        JsonNode ref = e.path("objectRef");
        String resource = ref.path("resource").asText("(none)");
        if (!ref.path("subresource").asText("").isEmpty()) {
          resource += "/" + ref.path("subresource").asText();
        }
        out.merge(e.path("verb").asText() + " " + resource, 1, Integer::sum);
      }
    }
    return out;
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
