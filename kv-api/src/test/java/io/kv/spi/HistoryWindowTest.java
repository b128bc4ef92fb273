package io.kv.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.ChangeType;
import io.kv.Principal;
import io.kv.Value;
import io.kv.VersionRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HistoryWindowTest {
  private static List<VersionRecord> versions(long... versions) {
    return java.util.Arrays.stream(versions)
        .mapToObj(v -> new VersionRecord(v, Value.number(v), ChangeType.UPDATED, Principal.SYSTEM, Instant.EPOCH,
            Optional.empty()))
        .toList();
  }

  @Test
  void theWindowCountsVersionsNotRecords() {
    List<VersionRecord> gapped = versions(10, 5, 3);
    assertThat(HistoryWindow.kept(gapped, 3)).extracting(VersionRecord::version).containsExactly(10L);
    assertThat(HistoryWindow.kept(gapped, 5)).extracting(VersionRecord::version).containsExactly(10L, 5L);
    assertThat(HistoryWindow.kept(gapped, 7)).isEqualTo(gapped);
    assertThat(HistoryWindow.kept(gapped, 0)).extracting(VersionRecord::version).containsExactly(10L);
  }

  @Test
  void aContiguousHistoryKeepsMaxVersionsEarlierRecords() {
    assertThat(HistoryWindow.kept(versions(4, 3, 2, 1), 2)).extracting(VersionRecord::version).containsExactly(4L, 3L, 2L);
    assertThat(HistoryWindow.oldestKept(4, 2)).isEqualTo(2);
  }
}
