package io.modelrollout.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessStatsTest {
  @Test
  void theLiveHeapIsTheOldGenerationAfterTheCollectionAndTheYoungIsApart() {
    String serial =
        """
         def new generation   total 39296K, used 30121K [0x00000000e8000000, 0x00000000eaaa0000)
          eden space 34944K,  86% used [0x00000000e8000000, 0x00000000e9d6a4e8, 0x00000000ea220000)
          from space 4352K,   0% used [0x00000000ea220000, 0x00000000ea220000, 0x00000000ea660000)
         tenured generation   total 87424K, used 52224K [0x00000000f0000000, 0x00000000f5560000)
           the space 87424K,  59% used [0x00000000f0000000, 0x00000000f3300000, 0x00000000f5560000)
         Metaspace       used 55000K, committed 56000K, reserved 1114112K
        """;
    assertThat(ProcessStats.heapInfo(serial)).containsExactly(51.0, 30121 / 1024.0);
    String g1 =
        """
         garbage-first heap   total 262144K, used 40960K [0x0000000700000000, 0x0000000800000000)
          region size 1024K, 3 young (3072K), 0 survivors (0K)
         Metaspace       used 55000K, committed 56000K, reserved 1114112K
        """;
    assertThat(ProcessStats.heapInfo(g1)).containsExactly(40.0, 0.0);
  }

  @Test
  void aNativeMemorySummaryKeepsItsTotalAndCategoryLines() {
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
        .containsExactly(
            "Total: reserved=1520MB, committed=262MB",
            "Java Heap (reserved=384MB, committed=48MB)",
            "Class (reserved=1025MB, committed=61MB)",
            "Thread (reserved=45MB, committed=5MB)",
            "Code (reserved=242MB, committed=33MB)");
  }
}
