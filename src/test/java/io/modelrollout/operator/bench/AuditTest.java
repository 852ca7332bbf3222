package io.modelrollout.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's request counts come from the audit log, one user, between marks. */
class AuditTest {
  static final String OP = "system:serviceaccount:mro:operator";

  @Test
  void countsOneUsersRequestsSinceAMarkAndFindsTheLastOfAKind(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("audit.log");
    Files.writeString(log, line(OP, "patch", "deployments", "", "10:00:00.5"));
    Audit audit = new Audit(log, OP);
    long mark = audit.mark();
    Files.writeString(
        log,
        line(OP, "patch", "modeldeployments", "status", "10:00:01.0")
            + line("system:kube-controller-manager", "patch", "pods", "status", "10:00:03.0")
            + line(OP, "patch", "modeldeployments", "status", "10:00:02.0")
            + line(OP, "delete", "deployments", "", "10:00:01.5")
            + line(OP, "create", "events", "", "10:00:01.6"),
        java.nio.file.StandardOpenOption.APPEND);
    var counts = audit.since(mark);
    assertThat(counts)
        .containsEntry("patch modeldeployments/status", 2)
        .containsEntry("delete deployments", 1)
        .doesNotContainKey("patch deployments")
        .doesNotContainKey("patch pods/status");
    assertThat(Audit.writes(counts)).as("events apart").isEqualTo(3);
    assertThat(Audit.events(counts)).isEqualTo(1);
    Instant t0 = Instant.parse("2026-11-29T10:00:00Z");
    assertThat(audit.lastAt(mark, t0, "patch modeldeployments/status", false)).isEqualTo(2.0);
    assertThat(audit.lastAt(mark, t0, "patch pods/status", false)).isEqualTo(-1);
    assertThat(audit.lastAt(mark, t0, "patch pods/status", true)).isEqualTo(3.0);
  }

  @Test
  void aLineBeingWrittenAtEitherEndIsSkippedAndOnlyThere(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("audit.log");
    String whole = line(OP, "patch", "deployments", "", "10:00:00.5");
    Files.writeString(log, whole.substring(0, 40)); // the mark falls inside this line
    Audit audit = new Audit(log, OP);
    long mark = audit.mark();
    Files.writeString(
        log,
        whole.substring(40) + whole + whole.substring(0, 60), // the last one is not written yet
        java.nio.file.StandardOpenOption.APPEND);
    assertThat(audit.since(mark)).containsEntry("patch deployments", 1);

    Files.writeString(log, whole + whole.substring(0, whole.length() - 10) + "\n" + whole);
    assertThatThrownBy(() -> audit.since(0))
        .as("a cut line in the middle is an error, not a gap in the counts")
        .isInstanceOf(com.fasterxml.jackson.core.JsonProcessingException.class);
  }

  @Test
  void aRotatedLogIsRefused(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("audit.log");
    Files.writeString(log, line(OP, "patch", "deployments", "", "10:00:00.5").repeat(3));
    Audit audit = new Audit(log, OP);
    long mark = audit.mark();
    Files.writeString(log, "");
    assertThatThrownBy(() -> audit.since(mark)).hasMessageContaining("rotated");
  }

  private static String line(
      String user, String verb, String resource, String subresource, String time) {
    return "{\"verb\":\""
        + verb
        + "\",\"user\":{\"username\":\""
        + user
        + "\"},\"objectRef\":{\"resource\":\""
        + resource
        + "\""
        + (subresource.isEmpty() ? "" : ",\"subresource\":\"" + subresource + "\"")
        + "},\"requestReceivedTimestamp\":\"2026-11-29T"
        + time
        + "Z\"}\n";
  }
}
