package io.kv.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kv.KvStore;
import io.kv.NamespaceSettings;
import io.kv.Value;
import io.kv.WriteOptions;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What an export writes: which entries, in what form, page by page. */
class KvExportTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MutableClock clock = MutableClock.fixed();
  private final MemoryKvStore store = MemoryKvStore.builder().clock(clock).sweepInterval(Duration.ZERO).build();

  @AfterEach
  void close() {
    store.close();
  }

  private List<JsonNode> lines(KvExport export) throws Exception {
    StringWriter out = new StringWriter();
    export.writeTo(out);
    List<JsonNode> lines = new ArrayList<>();
    for (String line : out.toString().split("\n", -1)) {
      if (!line.isEmpty()) {
        lines.add(JSON.readTree(line));
      }
    }
    assertThat(out.toString()).endsWith("\n");
    return lines;
  }

  @Test
  void expiredEntriesAreNotExported() throws Exception {
    store.put("app", "short", Value.string("s"), WriteOptions.ttl(Duration.ofSeconds(10)));
    store.put("app", "long", Value.string("l"), WriteOptions.ttl(Duration.ofSeconds(11)));
    store.put("app", "forever", Value.string("f"));
    clock.advance(Duration.ofSeconds(10));

    List<JsonNode> lines = lines(KvExport.builder(store).clock(clock).namespaces("app").build());

    assertThat(lines).filteredOn(n -> "entry".equals(n.path("kind").asText()))
        .extracting(n -> n.get("key").asText()).containsExactly("forever", "long");
    assertThat(lines.get(lines.size() - 1).get("entries").asLong()).isEqualTo(2);
  }

  @Test
  void aLargeNamespaceIsExportedPageByPage() {
    InMemoryAuditSink audit = AuditSinks.inMemory();
    KvStore stack = KvStores.builder(store).clock(clock).audit(audit).build();
    stack.namespaces().create("big", NamespaceSettings.defaults());
    for (int batch = 0; batch < 3; batch++) {
      Map<String, Value> values = new LinkedHashMap<>();
      for (int i = 0; i < 1000 && batch * 1000 + i < 2500; i++) {
        values.put(String.format("item/%05d", batch * 1000 + i), Value.number(batch * 1000 + i));
      }
      stack.putAll("big", values);
    }
    audit.clear();
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    ExportReport report = KvExport.builder(stack).clock(clock).build().writeTo(out);

    assertThat(report.entries()).isEqualTo(2500);
    assertThat(audit.records()).filteredOn(r -> r.action() == AuditAction.LIST).hasSize(3);
    String file = out.toString(StandardCharsets.UTF_8);
    assertThat(file.lines()).hasSize(1 + 1 + 2500 + 1);

    try (MemoryKvStore target = MemoryKvStore.builder().clock(clock).build()) {
      ImportReport imported = KvImport.builder(target).clock(clock).build().readFrom(new StringReader(file));
      assertThat(imported.created()).isEqualTo(2500);
      assertThat(target.count("big")).isEqualTo(2500);
      assertThat(target.get("big", "item/02499").orElseThrow().value()).isEqualTo(Value.number(2499));
    }
  }

  @Test
  void anEntryLineHoldsEveryFieldOfTheFormat() throws Exception {
    store.namespaces().create("app", NamespaceSettings.defaults().withDefaultTtl(Duration.ofHours(1)).withMaxVersions(2));
    store.put("app", "k", Value.binary(new byte[] {1, 2, 3}),
        WriteOptions.none().withMetadata(Map.of("b", "2", "a", "1")).withTags(java.util.Set.of("y", "x")).withReason("why"));

    List<JsonNode> lines = lines(KvExport.builder(store).clock(clock).build());

    assertThat(lines).hasSize(4);
    assertThat(lines.get(1).toString()).isEqualTo("{\"kind\":\"namespace\",\"name\":\"app\",\"settings\":{\"description\":\"\","
        + "\"owner\":\"\",\"secret\":false,\"defaultTtl\":\"PT1H\",\"maxVersions\":2},\"createdAt\":\"2030-01-01T00:00:00Z\","
        + "\"updatedAt\":\"2030-01-01T00:00:00Z\"}");
    assertThat(lines.get(2).toString()).isEqualTo("{\"kind\":\"entry\",\"namespace\":\"app\",\"key\":\"k\",\"type\":\"BINARY\","
        + "\"value\":\"AQID\",\"encrypted\":false,\"version\":1,\"createdAt\":\"2030-01-01T00:00:00Z\","
        + "\"updatedAt\":\"2030-01-01T00:00:00Z\",\"expiresAt\":\"2030-01-01T01:00:00Z\",\"metadata\":{\"a\":\"1\",\"b\":\"2\"},"
        + "\"tags\":[\"x\",\"y\"],\"history\":[{\"version\":1,\"type\":\"BINARY\",\"value\":\"AQID\",\"change\":\"CREATED\","
        + "\"changedBy\":\"anonymous\",\"changedAt\":\"2030-01-01T00:00:00Z\",\"reason\":\"why\"}]}");
  }

  @Test
  void valuesLargerThanJacksonsDefaultStringLimitRoundTrip() {
    byte[] big = new byte[16 << 20];
    new java.util.Random(1).nextBytes(big);
    try (MemoryKvStore large = MemoryKvStore.builder().clock(clock).limits(io.kv.InputRules.defaults().withMaxValueBytes(32 << 20)).build();
        MemoryKvStore target = MemoryKvStore.builder().clock(clock).limits(io.kv.InputRules.defaults().withMaxValueBytes(32 << 20)).build()) {
      large.put("app", "big", Value.binary(big));
      StringWriter out = new StringWriter();
      KvExport.builder(large).clock(clock).namespaces("app").build().writeTo(out);

      KvImport.builder(target).clock(clock).build().readFrom(new StringReader(out.toString()));

      assertThat(target.get("app", "big")).isEqualTo(large.get("app", "big"));
    }
  }

  @Test
  void anEmptyStoreExportsAHeaderAndAnEndLine() throws Exception {
    List<JsonNode> lines = lines(KvExport.builder(store).clock(clock).build());

    assertThat(lines).extracting(JsonNode::toString).containsExactly(
        "{\"format\":\"kv-export\",\"version\":1,\"exportedAt\":\"2030-01-01T00:00:00Z\"}",
        "{\"kind\":\"end\",\"namespaces\":0,\"entries\":0}");
  }
}
