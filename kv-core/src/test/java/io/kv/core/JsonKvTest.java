package io.kv.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.kv.InvalidInputException;
import io.kv.KvStore;
import io.kv.NamespaceSettings;
import io.kv.Value;
import io.kv.ValueType;
import io.kv.memory.MemoryKvStore;
import io.kv.testkit.MutableClock;
import java.math.BigDecimal;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  record Event(String name, Instant at) {}

  /** Holds its text where Jackson cannot see it. */
  static final class Opaque {
    @SuppressWarnings("unused") // never read: the point is that nothing is visible
    private final String text;

    Opaque(String text) {
      this.text = text;
    }
  }

  /** A bean whose getter throws with the value in its message, as careless code does. */
  public static final class Failing {
    private final String value;

    Failing(String value) {
      this.value = value;
    }

    public String getValue() {
      throw new IllegalStateException("cannot show " + value);
    }
  }

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
  void aValueThatDoesNotBindNamesEntryTypeAndPathWithoutQuotingIt() {
    store.put("app", "db", Value.json("{\"host\":\"s3cr3t-host\",\"port\":\"not-a-port\",\"tags\":[]}"));

    Throwable t = catchThrowable(() -> kv.get("app", "db", Endpoint.class));

    assertThat(t).isInstanceOf(InvalidInputException.class)
        .hasMessage("value of 'app/db' of type JSON cannot be read as " + Endpoint.class.getName()
            + " at $.port: the JSON does not fit int")
        .hasCauseInstanceOf(InvalidFormatException.class);
    assertThat(t.getMessage()).doesNotContain("s3cr3t").doesNotContain("not-a-port");
  }

  @Test
  void onASecretNamespaceJacksonsExceptionThatQuotesTheValueIsLeftOut() {
    store.namespaces().create("vault", NamespaceSettings.defaults().withSecret(true));
    store.put("vault", "db", Value.json("{\"host\":\"h\",\"port\":\"s3cr3t-port\",\"tags\":[]}"));

    Throwable t = catchThrowable(() -> kv.get("vault", "db", Endpoint.class));

    assertThat(t).isInstanceOf(InvalidInputException.class).hasMessageContaining("'vault/db'")
        .hasMessageContaining("at $.port").hasNoCause();
    assertThat(t.toString()).doesNotContain("s3cr3t");
    Throwable direct = catchThrowable(() -> kv.fromValue(Value.json("{\"port\":\"s3cr3t-port\"}"), Endpoint.class));
    assertThat(direct).isInstanceOf(InvalidInputException.class).hasMessageContaining("at $.port").hasNoCause();
  }

  @Test
  void aJavaTimeFieldWithoutTheModuleSaysWhichModuleToRegister() {
    Throwable write = catchThrowable(() -> kv.put("app", "ev", new Event("deploy", Instant.EPOCH)));
    store.put("app", "ev", Value.json("{\"name\":\"deploy\",\"at\":\"2026-01-02T03:04:05Z\"}"));
    Throwable read = catchThrowable(() -> kv.get("app", "ev", Event.class));

    assertThat(write).isInstanceOf(InvalidInputException.class)
        .hasMessage("value of type " + Event.class.getName() + " for 'app/ev' cannot be serialized to JSON at $.at: "
            + "java.time.Instant needs the JavaTimeModule of com.fasterxml.jackson.datatype:jackson-datatype-jsr310 "
            + "registered on the mapper given to JsonKv.of")
        .hasCauseInstanceOf(InvalidDefinitionException.class);
    assertThat(read).isInstanceOf(InvalidInputException.class).hasMessageContaining("cannot be read as " + Event.class.getName())
        .hasMessageContaining("JavaTimeModule").hasCauseInstanceOf(InvalidDefinitionException.class);
    assertThat(read.getMessage()).doesNotContain("2026-01-02");
  }

  @Test
  void anUnknownPropertyIsNamedWithItsPathAndTheCauseCarriesNoInput() {
    store.namespaces().create("vault", NamespaceSettings.defaults().withSecret(true));
    store.put("vault", "db", Value.json("{\"host\":\"h\",\"port\":1,\"tags\":[],\"pasword\":\"s3cr3t-pw\"}"));

    Throwable t = catchThrowable(() -> kv.get("vault", "db", Endpoint.class));

    assertThat(t).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("at $.pasword: unknown property 'pasword' for " + Endpoint.class.getName())
        .hasMessageContaining("known: [").hasCauseInstanceOf(UnrecognizedPropertyException.class);
    for (Throwable c = t; c != null; c = c.getCause()) {
      assertThat(c.toString()).doesNotContain("s3cr3t");
    }
  }

  /**
   * A class in a named module whose package is exported but not opened, as an application's
   * config class in a module that forgot {@code opens ... to com.fasterxml.jackson.databind}.
   * Its constructor is private, so Jackson must make it accessible, which the module refuses.
   */
  @Test
  void aTypeInAPackageNotOpenedToJacksonSaysWhatToOpen(@TempDir Path dir) throws Exception {
    Path src = Files.createDirectories(dir.resolve("src/cfg")).getParent();
    Path out = dir.resolve("out");
    Files.writeString(src.resolve("module-info.java"), "module cfg { exports cfg; }");
    Files.writeString(src.resolve("cfg/Settings.java"),
        "package cfg; public final class Settings { public int port; private Settings() {} }");
    int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", out.toString(),
        src.resolve("module-info.java").toString(), src.resolve("cfg/Settings.java").toString());
    assertThat(compiled).isZero();
    Configuration conf = ModuleLayer.boot().configuration().resolve(ModuleFinder.of(out), ModuleFinder.of(), Set.of("cfg"));
    ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(conf, getClass().getClassLoader());
    Class<?> settings = layer.findLoader("cfg").loadClass("cfg.Settings");
    store.put("app", "settings", Value.json("{\"port\":5432}"));

    Throwable t = catchThrowable(() -> kv.get("app", "settings", settings));

    assertThat(t).isInstanceOf(InvalidInputException.class)
        .hasMessage("value of 'app/settings' of type JSON cannot be read as cfg.Settings: Jackson may not reach cfg.Settings "
            + "by reflection; open its package to com.fasterxml.jackson.databind (opens ... to "
            + "com.fasterxml.jackson.databind in module-info.java)")
        .hasCauseInstanceOf(InvalidDefinitionException.class);
  }

  @Test
  void aTypeWithNothingToSerializeIsNamed() {
    Throwable t = catchThrowable(() -> kv.toValue(new Opaque("s3cr3t")));

    assertThat(t).isInstanceOf(InvalidInputException.class)
        .hasMessage("value of type " + Opaque.class.getName() + " cannot be serialized to JSON: " + Opaque.class.getName()
            + " has no properties Jackson can see (public getters or fields, or annotations)")
        .hasCauseInstanceOf(InvalidDefinitionException.class);
    assertThat(t.getCause().toString()).doesNotContain("s3cr3t");
  }

  @Test
  void aGetterThatFailsIsTheCauseOnlyOutsideSecretNamespaces() {
    store.namespaces().create("vault", NamespaceSettings.defaults().withSecret(true));

    Throwable plain = catchThrowable(() -> kv.put("app", "f", new Failing("s3cr3t")));
    Throwable secret = catchThrowable(() -> kv.put("vault", "f", new Failing("s3cr3t")));

    assertThat(plain).isInstanceOf(InvalidInputException.class).hasMessageContaining("at $.value")
        .hasCauseInstanceOf(JsonMappingException.class).hasRootCauseMessage("cannot show s3cr3t");
    assertThat(plain.getMessage()).doesNotContain("s3cr3t");
    assertThat(secret).isInstanceOf(InvalidInputException.class).hasMessageContaining("'vault/f'").hasNoCause();
    assertThat(secret.getMessage()).doesNotContain("s3cr3t");
  }

  @Test
  void nonFiniteNumbersAreRefused() {
    assertThatThrownBy(() -> kv.toValue(Double.NaN)).isInstanceOf(InvalidInputException.class);
  }
}
