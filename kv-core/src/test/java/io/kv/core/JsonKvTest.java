package io.kv.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.kv.InvalidInputException;
import io.kv.KvStore;
import io.kv.Value;
import io.kv.ValueType;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.MutableClock;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JsonKvTest {
  record Endpoint(String host, int port, List<String> tags) {}

  /** A mutable bean, as older code bases have them. */
  public static final class Pool {
    private int maxSize;
    private String name;

    public int getMaxSize() {
      return maxSize;
    }

    public void setMaxSize(int maxSize) {
      this.maxSize = maxSize;
    }

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }
  }

  enum Mode { ACTIVE, PASSIVE }

  private final KvStore store = MemoryKvStore.builder().clock(MutableClock.fixed()).build();
  private final JsonKv kv = JsonKv.of(store);

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void recordsRoundTripAsJson() {
    Endpoint e = new Endpoint("db.internal", 5432, List.of("primary"));
    kv.put("app", "db", e);

    assertThat(store.get("app", "db").orElseThrow().value().type()).isEqualTo(ValueType.JSON);
    assertThat(kv.get("app", "db", Endpoint.class)).contains(e);
  }

  @Test
  void beansAndGenericTypesRoundTrip() {
    Pool p = new Pool();
    p.setMaxSize(10);
    p.setName("main");
    kv.put("app", "pool", p);
    kv.put("app", "endpoints", List.of(new Endpoint("a", 1, List.of()), new Endpoint("b", 2, List.of("x"))));

    assertThat(kv.get("app", "pool", Pool.class).orElseThrow().getMaxSize()).isEqualTo(10);
    assertThat(kv.get("app", "endpoints", new TypeReference<List<Endpoint>>() {}).orElseThrow())
        .extracting(Endpoint::host).containsExactly("a", "b");
  }

  @Test
  void jsonNodesRoundTrip() throws Exception {
    JsonNode node = new ObjectMapper().readTree("{\"ssl\":true,\"pool\":{\"max\":10}}");
    kv.put("app", "options", node);
    assertThat(kv.get("app", "options", JsonNode.class)).contains(node);
  }

  @Test
  void plainJavaValuesMapToTheFiveTypes() {
    assertThat(kv.toValue("text").type()).isEqualTo(ValueType.STRING);
    assertThat(kv.toValue(true).type()).isEqualTo(ValueType.BOOLEAN);
    assertThat(kv.toValue(42).type()).isEqualTo(ValueType.NUMBER);
    assertThat(kv.toValue(0.25d)).isEqualTo(Value.number(new BigDecimal("0.25")));
    assertThat(kv.toValue(new byte[] {1, 2}).type()).isEqualTo(ValueType.BINARY);
    assertThat(kv.toValue(Map.of("a", 1)).type()).isEqualTo(ValueType.JSON);
    assertThat(kv.toValue(Value.string("as is"))).isEqualTo(Value.string("as is"));
  }

  @Test
  void storedTypesReadAsMatchingJavaTypes() {
    store.put("app", "port", Value.number(5432));
    store.put("app", "flag", Value.bool(true));
    store.put("app", "mode", Value.string("PASSIVE"));
    store.put("app", "id", Value.string("7d444840-9dc0-11d1-b245-5ffdce74fad2"));
    store.put("app", "blob", Value.binary(new byte[] {9}));

    assertThat(kv.get("app", "port", Integer.class)).contains(5432);
    assertThat(kv.get("app", "port", BigDecimal.class)).contains(new BigDecimal("5432"));
    assertThat(kv.get("app", "flag", Boolean.class)).contains(true);
    assertThat(kv.get("app", "mode", Mode.class)).contains(Mode.PASSIVE);
    assertThat(kv.get("app", "id", UUID.class)).contains(UUID.fromString("7d444840-9dc0-11d1-b245-5ffdce74fad2"));
    assertThat(kv.get("app", "blob", byte[].class).orElseThrow()).containsExactly(9);
    assertThat(kv.get("app", "missing", String.class)).isEmpty();
  }

  @Test
  void theApplicationsMapperIsUsed() {
    ObjectMapper snake = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
    JsonKv typed = JsonKv.of(store, snake);
    Pool p = new Pool();
    p.setMaxSize(3);
    typed.put("app", "pool", p);

    assertThat(store.get("app", "pool").orElseThrow().value().asString()).contains("\"max_size\":3");
  }

  @Test
  void aValueThatDoesNotBindFailsWithoutQuotingIt() {
    store.put("app", "db", Value.json("{\"host\":\"s3cr3t-host\",\"port\":\"not-a-port\"}"));

    assertThatThrownBy(() -> kv.get("app", "db", Endpoint.class))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("cannot be read as")
        .hasNoCause()
        .message().doesNotContain("s3cr3t").doesNotContain("not-a-port");
  }

  @Test
  void nonFiniteNumbersAreRefused() {
    assertThatThrownBy(() -> kv.toValue(Double.NaN)).isInstanceOf(InvalidInputException.class);
  }
}
