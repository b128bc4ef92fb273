package io.kv.core;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.kv.InvalidInputException;
import java.lang.reflect.InaccessibleObjectException;

/**
 * What {@link JsonKv} throws when Jackson fails: an {@link InvalidInputException} that names the
 * Java type, the JSON path and what went wrong in kv's own words, never a value.
 *
 * <p>Jackson's exception becomes the cause when its message cannot hold a value: a type Jackson
 * cannot handle ({@link InvalidDefinitionException}) or an unknown property (which names
 * properties only), with the parser location cleared since it can carry the input. Other
 * failures quote the input ("from String "..."") or, while serializing, a getter's own
 * exception; they are the cause only when the namespace is known not to be secret.
 */
final class JsonFailures {
  private JsonFailures() {}

  /**
   * The failure to serialize {@code type}.
   *
   * @param where the entry's {@code 'namespace/key'}, or null when there is none
   * @param mayCarry whether the cause may carry what Jackson quoted of the value
   */
  static InvalidInputException cannotWrite(Class<?> type, String where, Exception e, boolean mayCarry) {
    return failure("of type " + type.getName() + (where == null ? "" : " for " + where) + " cannot be serialized to JSON", e,
        mayCarry);
  }

  /** The failure to read a stored value of {@code stored} type as {@code type}; see {@link #cannotWrite}. */
  static InvalidInputException cannotRead(String stored, String type, String where, Exception e, boolean mayCarry) {
    return failure((where == null ? "" : "of " + where + " ") + "of type " + stored + " cannot be read as " + type, e, mayCarry);
  }

  private static InvalidInputException failure(String what, Exception thrown, boolean mayCarry) {
    JacksonException e = jackson(thrown);
    if (e == null) {
      // Not Jackson's (a ValueType that does not fit the Java type): nothing more to say.
      return new InvalidInputException("value", what);
    }
    StringBuilder rule = new StringBuilder(what);
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      rule.append(" at ").append(path(m));
    }
    rule.append(": ").append(reason(e));
    boolean valueFree = e instanceof InvalidDefinitionException || e instanceof UnrecognizedPropertyException;
    if (!valueFree && !mayCarry) {
      return new InvalidInputException("value", rule.toString());
    }
    if (valueFree && e instanceof JsonProcessingException p) {
      p.clearLocation();
    }
    return new InvalidInputException("value", rule.toString(), e);
  }

  /** Jackson's exception, also where {@code convertValue} wrapped it in an IllegalArgumentException. */
  private static JacksonException jackson(Exception e) {
    if (e instanceof JacksonException j) {
      return j;
    }
    return e.getCause() instanceof JacksonException j ? j : null;
  }

  /** The JSON path of the failure, such as {@code $.pools[2].maxSize}: names and indexes only. */
  static String path(JsonMappingException e) {
    StringBuilder p = new StringBuilder("$");
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        p.append('.').append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        p.append('[').append(r.getIndex()).append(']');
      }
    }
    return p.toString();
  }

  private static String reason(JacksonException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      return "unknown property '" + u.getPropertyName() + "' for " + u.getReferringClass().getName() + " (known: "
          + u.getKnownPropertyIds() + "); remove it, or have the mapper ignore unknown properties";
    }
    if (e instanceof InvalidDefinitionException d) {
      String type = d.getType() == null ? "the type" : d.getType().toCanonical();
      // Jackson reports a refused setAccessible as a bad definition whose message names the JDK's
      // exception, and sometimes without it as the cause.
      if (hasInCauses(e, InaccessibleObjectException.class)
          || String.valueOf(e.getOriginalMessage()).contains(InaccessibleObjectException.class.getSimpleName())) {
        return "Jackson may not reach " + type + " by reflection; open its package to com.fasterxml.jackson.databind "
            + "(opens ... to com.fasterxml.jackson.databind in module-info.java)";
      }
      if (type.startsWith("java.time.")) {
        return type + " needs the JavaTimeModule of com.fasterxml.jackson.datatype:jackson-datatype-jsr310 registered on "
            + "the mapper given to JsonKv.of";
      }
      String message = String.valueOf(e.getOriginalMessage());
      if (message.startsWith("No serializer found")) {
        return type + " has no properties Jackson can see (public getters or fields, or annotations)";
      }
      return "Jackson cannot handle " + type + " (see the cause)";
    }
    if (e instanceof MismatchedInputException m) {
      return "the JSON does not fit " + (m.getTargetType() == null ? "the type" : m.getTargetType().getName());
    }
    if (e instanceof StreamReadException) {
      return "not valid JSON";
    }
    // A getter or a custom serializer failed; its exception is the cause of Jackson's.
    return "Jackson failed (" + e.getClass().getSimpleName() + ")";
  }

  private static boolean hasInCauses(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }
}
