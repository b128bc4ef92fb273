package io.kv.testkit;

import io.kv.AlreadyExistsException;
import io.kv.Entry;
import io.kv.InvalidInputException;
import io.kv.Namespace;
import io.kv.NotFoundException;
import io.kv.StateConflictException;
import io.kv.Value;
import io.kv.ValueType;
import io.kv.VersionConflictException;
import io.kv.VersionRecord;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one operation of a {@link ModelCheck} came to, in a form that compares with {@code
 * equals}: entries, lists of them, pages, counts, or the type of exception thrown. Describes values
 * in full, which an {@link Entry}'s own {@code toString} never does: a model check writes only
 * values it made up.
 */
final class Outcome {
  static final String ALREADY_EXISTS = "AlreadyExistsException";
  static final String NOT_FOUND = "NotFoundException";
  static final String VERSION_CONFLICT = "VersionConflictException";
  static final String INVALID_INPUT = "InvalidInputException";
  static final String STATE_CONFLICT = "StateConflictException";

  /** The outcome of an operation that returns nothing and did not throw. */
  static final Object DONE = "done";

  private Outcome() {}

  /** An exception of a type the contract names; {@code detail} is left out of equality. */
  record Thrown(String type, String detail) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Thrown t && t.type.equals(type);
    }

    @Override
    public int hashCode() {
      return type.hashCode();
    }
  }

  /** One page of a listing: its entries and whether a cursor for more came with it. */
  record PageView(List<Entry> entries, boolean hasMore) {}

  static Thrown thrown(String type) {
    return new Thrown(type, "");
  }

  /**
   * What a store threw, as an outcome: the contract's exception types by name, anything else by
   * its class and message so that it never equals what a model expects.
   */
  static Thrown of(RuntimeException e) {
    String type;
    if (e instanceof AlreadyExistsException) {
      type = ALREADY_EXISTS;
    } else if (e instanceof NotFoundException) {
      type = NOT_FOUND;
    } else if (e instanceof VersionConflictException) {
      type = VERSION_CONFLICT;
    } else if (e instanceof InvalidInputException) {
      type = INVALID_INPUT;
    } else if (e instanceof StateConflictException) {
      type = STATE_CONFLICT;
    } else {
      type = e.getClass().getName();
    }
    return new Thrown(type, String.valueOf(e.getMessage()));
  }

  /** A readable form of an outcome, values included. */
  static String describe(Object o) {
    if (o instanceof Thrown t) {
      return "threw " + t.type + (t.detail.isEmpty() ? "" : " (" + t.detail + ")");
    }
    if (o instanceof Entry e) {
      return "Entry[" + e.key() + " = " + describe(e.value()) + ", v" + e.version() + ", created " + e.createdAt()
          + ", updated " + e.updatedAt() + e.expiresAt().map(x -> ", expires " + x).orElse("")
          + (e.metadata().isEmpty() ? "" : ", metadata " + e.metadata())
          + (e.tags().isEmpty() ? "" : ", tags " + e.tags()) + "]";
    }
    if (o instanceof Value v) {
      return v.type() == ValueType.BINARY ? v.toString() : v.type() + " '" + v.asString() + "'";
    }
    if (o instanceof VersionRecord r) {
      return "v" + r.version() + " " + r.change() + " " + describe(r.value()) + " by " + r.changedBy().name() + " at "
          + r.changedAt() + r.reason().map(x -> " because '" + x + "'").orElse("");
    }
    if (o instanceof PageView p) {
      return "Page" + describe(p.entries) + (p.hasMore ? " + more" : "");
    }
    if (o instanceof Namespace n) {
      return "Namespace[" + n.name() + ", " + n.settings() + ", created " + n.createdAt() + ", updated "
          + n.updatedAt() + "]";
    }
    if (o instanceof List<?> l) {
      return l.stream().map(Outcome::describe).collect(Collectors.joining(", ", "[", "]"));
    }
    if (o instanceof Map<?, ?> m) {
      return m.entrySet().stream().map(x -> x.getKey() + "=" + describe(x.getValue()))
          .collect(Collectors.joining(", ", "{", "}"));
    }
    if (o instanceof java.util.Optional<?> opt) {
      return opt.map(x -> "Optional[" + describe(x) + "]").orElse("empty");
    }
    return String.valueOf(o);
  }
}
