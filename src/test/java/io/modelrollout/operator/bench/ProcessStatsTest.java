package io.modelrollout.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessStatsTest {
  @Test
  void aNativeMemorySummaryBecomesCommittedMegabytesPerCategory() {
    String summary =
        """
        Native Memory Tracking:

        Total: reserved=1520MB, committed=262MB
        -                 Java Heap (reserved=384MB, committed=48MB)
                                    (mmap: reserved=384MB, committed=48MB)

        -                     Class (reserved=1025MB, committed=61MB)
                                    (classes #11423)
        -                    Thread (reserved=45MB, committed=5MB)
        -                      Code (reserved=242MB, committed=33MB)
        """;
    assertThat(ProcessStats.nmtCommitted(summary).lines())
        .extracting(l -> l.replaceAll("\\s+", " ").trim())
        .containsExactly(
            "Total 262 MB", "Java Heap 48 MB", "Class 61 MB", "Thread 5 MB", "Code 33 MB");
  }
}
