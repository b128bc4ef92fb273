package io.kv.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.kv.Entry;
import io.kv.InvalidInputException;
import io.kv.KvStore;
import io.kv.Value;
import io.kv.ValueType;
import io.kv.WriteOptions;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;

/**
 * Typed access to a {@link KvStore} through Jackson: store and read POJOs, records, {@link
 * JsonNode}s and plain Java values without building {@link Value}s by hand.
 *
 * <p>Writing picks the value type from the Java type: {@code String} is STRING, {@code Boolean}
 * is BOOLEAN, integral numbers and {@code BigDecimal} (and finite {@code double}/{@code float})
 * are NUMBER, {@code byte[]} is BINARY, a {@code Value} is written as it is, and everything else
 * (records, POJOs, maps, lists, {@code JsonNode}) is serialized to JSON with the mapper. Reading
 * converts any stored type to the requested Java type where that makes sense: a NUMBER reads as
 * {@code int}, {@code long}, {@code BigDecimal} or {@code double}; a STRING as {@code String},
 * an enum or a {@code UUID}; JSON as any type Jackson can bind.
 *
 * <p>Errors never carry the value: a value that cannot be converted fails with {@link
 * InvalidInputException} naming the entry, the Java type, the JSON path (such as {@code
 * $.pools[2].maxSize}) and the reason (an unknown property, a {@code java.time} type without
 * Jackson's JavaTimeModule, a package not opened to Jackson, a type with no properties, JSON of
 * the wrong shape). Jackson's exception is the cause where its message cannot quote the value (a
 * type Jackson cannot handle, an unknown property), and otherwise only for a namespace that is
 * not secret: a failure on a secret namespace, or in {@link #toValue}/{@link #fromValue} where
 * no namespace is known, has no cause, since Jackson's message may quote the plaintext.
 *
 * <p>Thread-safe when the {@link ObjectMapper} is not reconfigured after it is passed in.
 */
public final class JsonKv {
  private final KvStore store;
  private final ObjectMapper mapper;

  private JsonKv(KvStore store, ObjectMapper mapper) {
    this.store = store;
    this.mapper = mapper;
  }

  /**
   * Typed access to {@code store} with a plain {@link JsonMapper} (no extra modules).
   *
   * @param store the store to read and write
   * @return typed access to {@code store} with a plain {@link JsonMapper} (no extra modules)
   * @throws NullPointerException if {@code store} is null
   */
  public static JsonKv of(KvStore store) {
    return of(store, JsonMapper.builder().build());
  }

  /**
   * Typed access to {@code store} with the application's own mapper (its modules, naming and
   * feature settings apply).
   *
   * @param store the store to read and write
   * @param mapper the application's Jackson mapper
   * @return typed access to {@code store} with the application's own mapper (its modules, naming
   *     and feature settings apply)
   * @throws NullPointerException if an argument is null
   */
  public static JsonKv of(KvStore store, ObjectMapper mapper) {
    return new JsonKv(Objects.requireNonNull(store, "store"), Objects.requireNonNull(mapper, "mapper"));
  }

  /**
   * The store this reads and writes.
   *
   * @return the store this reads and writes
   */
  public KvStore store() {
    return store;
  }

  /**
   * Writes {@code value} (an upsert), converted by {@link #toValue(Object)}.
   *
   * @param namespace the namespace name
   * @param key the entry's key
   * @param value the Java value
   * @return the entry as written
   * @throws InvalidInputException if the value cannot be converted, or the store refuses it
   */
  public Entry put(String namespace, String key, Object value) {
    return put(namespace, key, value, WriteOptions.none());
  }

  /**
   * Writes {@code value} (an upsert) with options, converted by {@link #toValue(Object)}.
   *
   * @param namespace the namespace name
   * @param key the entry's key
   * @param value the Java value
   * @param options TTL, metadata, tags and reason of the write
   * @return the entry as written
   * @throws InvalidInputException if the value cannot be converted, or the store refuses it
   */
  public Entry put(String namespace, String key, Object value, WriteOptions options) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(key, "key");
    return store.put(namespace, key, toValue(value, namespace, key), options);
  }

  /**
   * Reads the entry under {@code key} as a {@code type}.
   *
   * @param <T> the type of the result
   * @param namespace the namespace name
   * @param key the entry's key
   * @param type the Java type to read the value as
   * @return the converted value, or empty when there is no live entry
   * @throws InvalidInputException if the stored value cannot be read as {@code type}
   */
  public <T> Optional<T> get(String namespace, String key, Class<T> type) {
    Objects.requireNonNull(type, "type");
    return store.get(namespace, key).map(e -> read(e.value(), mapper.constructType(type), namespace, key));
  }

  /**
   * Reads the entry under {@code key} as a generic type, such as {@code new
   * TypeReference<List<Endpoint>>() {}}.
   *
   * @param <T> the type of the result
   * @param namespace the namespace name
   * @param key the entry's key
   * @param type the Java type to read the value as
   * @return the converted value, or empty when there is no live entry
   * @throws InvalidInputException if the stored value cannot be read as {@code type}
   */
  public <T> Optional<T> get(String namespace, String key, TypeReference<T> type) {
    Objects.requireNonNull(type, "type");
    return store.get(namespace, key).map(e -> read(e.value(), mapper.getTypeFactory().constructType(type), namespace, key));
  }

  /**
   * Converts a Java value to a typed {@link Value}; see the class description for the mapping.
   *
   * @param value the Java value
   * @return the typed value
   * @throws NullPointerException if {@code value} is null
   * @throws InvalidInputException if it cannot be serialized, or is a non-finite floating point number
   */
  public Value toValue(Object value) {
    return toValue(value, null, null);
  }

  /** {@link #toValue(Object)} for the entry {@code namespace/key}, or for none when they are null. */
  private Value toValue(Object value, String namespace, String key) {
    Objects.requireNonNull(value, "value");
    if (value instanceof Value) {
      return (Value) value;
    }
    if (value instanceof String) {
      return Value.string((String) value);
    }
    if (value instanceof Boolean) {
      return Value.bool((Boolean) value);
    }
    if (value instanceof byte[]) {
      return Value.binary((byte[]) value);
    }
    if (value instanceof BigDecimal) {
      return Value.number((BigDecimal) value);
    }
    if (value instanceof BigInteger) {
      return Value.number(new BigDecimal((BigInteger) value));
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return Value.number(((Number) value).longValue());
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (!Double.isFinite(d)) {
        throw new InvalidInputException("value", "must be a finite number to be stored as NUMBER");
      }
      return Value.number(new BigDecimal(value.toString()));
    }
    try {
      return Value.json(mapper.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw JsonFailures.cannotWrite(value.getClass(), where(namespace, key), e, notSecret(namespace));
    }
  }

  /**
   * Reads a {@link Value} as a {@code type}; see the class description for the mapping.
   *
   * @param <T> the type of the result
   * @param value the Java value
   * @param type the Java type to read the value as
   * @return the value as a {@code type}
   * @throws NullPointerException if an argument is null
   * @throws InvalidInputException if the value cannot be read as {@code type}
   */
  public <T> T fromValue(Value value, Class<T> type) {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(type, "type");
    return read(value, mapper.constructType(type), null, null);
  }

  private <T> T read(Value value, JavaType type, String namespace, String key) {
    Class<?> raw = type.getRawClass();
    if (raw == Value.class) {
      return cast(value);
    }
    try {
      if (value.type() == ValueType.BINARY) {
        if (raw == byte[].class) {
          return cast(value.bytes());
        }
        throw new InvalidInputException("value", "of type BINARY cannot be read as " + type.toCanonical());
      }
      String text = value.asString();
      if (value.type() == ValueType.STRING) {
        if (raw == String.class || raw == Object.class || raw == CharSequence.class) {
          return cast(text);
        }
        return mapper.convertValue(mapper.getNodeFactory().textNode(text), type);
      }
      // JSON, NUMBER and BOOLEAN are all JSON text.
      return mapper.readValue(text, type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw JsonFailures.cannotRead(value.type().name(), type.toCanonical(), where(namespace, key), e, notSecret(namespace));
    }
  }

  @SuppressWarnings("unchecked") // the caller's type token guarantees the type
  private static <T> T cast(Object o) {
    return (T) o;
  }

  private static String where(String namespace, String key) {
    return namespace == null ? null : "'" + namespace + "/" + key + "'";
  }

  /**
   * Whether {@code namespace} is known not to be secret, so that Jackson's exception, which may
   * quote the value, can be the cause. Asked only on the way to an error; when it cannot be told
   * (no namespace, or the store refuses to say), the answer is no.
   */
  private boolean notSecret(String namespace) {
    if (namespace == null) {
      return false;
    }
    try {
      return store.namespaces().get(namespace).map(n -> !n.settings().secret()).orElse(true);
    } catch (RuntimeException e) {
      return false;
    }
  }
}
