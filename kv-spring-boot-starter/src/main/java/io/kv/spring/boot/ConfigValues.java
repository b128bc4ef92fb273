package io.kv.spring.boot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kv.Value;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one kv entry into configuration properties: the key's {@code /} become {@code .} under
 * the namespace's prefix; STRING, NUMBER and BOOLEAN values give their text, a JSON object or
 * array is flattened into one property per leaf ({@code name.field}, {@code name[0]}), a JSON
 * scalar gives its text, and BINARY values give nothing. Thread-safe.
 */
final class ConfigValues {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigValues.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private ConfigValues() {}

  /** The property name of {@code key} under {@code prefix} (empty for none). */
  static String propertyName(String prefix, String key) {
    String name = key.replace('/', '.');
    return prefix.isEmpty() ? name : prefix + "." + name;
  }

  /** The properties entry {@code key} of {@code namespace} gives, in order. */
  static Map<String, String> properties(String namespace, String prefix, String key, Value value) {
    String name = propertyName(prefix, key);
    Map<String, String> out = new LinkedHashMap<>();
    switch (value.type()) {
      case STRING, NUMBER, BOOLEAN -> out.put(name, value.asString());
      case JSON -> {
        try {
          flatten(name, JSON.readTree(value.asString()), out);
        } catch (JsonProcessingException e) {
          // Jackson's message quotes the text it failed on, which is the value: leave it out.
          LOG.warn("kv config: entry {} of namespace {} is not valid JSON; it gives no property", key, namespace);
        }
      }
      case BINARY -> LOG.debug("kv config: entry {} of namespace {} is binary; it gives no property", key, namespace);
      default -> throw new IllegalStateException("unknown value type " + value.type());
    }
    return out;
  }

  private static void flatten(String name, JsonNode node, Map<String, String> out) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        flatten(name + "." + field.getKey(), field.getValue(), out);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        flatten(name + "[" + i + "]", node.get(i), out);
      }
    } else if (!node.isNull() && !node.isMissingNode()) {
      out.put(name, node.asText());
    }
  }
}
