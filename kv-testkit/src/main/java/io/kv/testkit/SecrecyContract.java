package io.kv.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.AlreadyExistsException;
import io.kv.ChangeFilter;
import io.kv.Entry;
import io.kv.InputRules;
import io.kv.InvalidInputException;
import io.kv.ListOptions;
import io.kv.NamespaceSettings;
import io.kv.NotFoundException;
import io.kv.Value;
import io.kv.VersionConflictException;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** A stored value never shows up in an exception message or in {@code toString}. */
public abstract class SecrecyContract extends ContractGroup {
  private static final String SECRET = "s3cr3t-value-XYZ";

  /** For a subclass that runs this group alone and overrides {@link #newStore}. */
  protected SecrecyContract() {}

  /**
   * For a group nested in {@code suite}, which gives and closes the store.
   *
   * @param suite the backend or stack under test
   */
  protected SecrecyContract(ContractSuite suite) {
    super(suite);
  }

  private static List<Value> secretValues() {
    return List.of(
        Value.string(SECRET),
        Value.json("{\"password\":\"" + SECRET + "\"}"),
        Value.binary(SECRET.getBytes(StandardCharsets.UTF_8)));
  }

  /** Asserts {@code call} throws {@code type} and that no message in its cause chain holds the secret. */
  private static <T extends Throwable> void assertThrowsWithoutSecret(Class<T> type, ThrowingCallable call) {
    Throwable thrown = thrown(type, call);
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Throwable> todo = new ArrayList<>(List.of(thrown));
    while (!todo.isEmpty()) {
      Throwable t = todo.remove(todo.size() - 1);
      if (!seen.add(t)) {
        continue;
      }
      assertThat(String.valueOf(t.getMessage())).doesNotContain(SECRET);
      assertThat(t.toString()).doesNotContain(SECRET);
      if (t.getCause() != null) {
        todo.add(t.getCause());
      }
      todo.addAll(List.of(t.getSuppressed()));
    }
  }

  private static void assertNoSecret(Object o) {
    assertThat(String.valueOf(o)).as("toString of %s", o.getClass().getSimpleName()).doesNotContain(SECRET);
  }

  @Test
  void alreadyExistsDoesNotShowTheValue() {
    for (Value secret : secretValues()) {
      store().put(NS, "k", secret);
      assertThrowsWithoutSecret(AlreadyExistsException.class, () -> store().create(NS, "k", secret));
    }
  }

  @Test
  void versionConflictDoesNotShowTheValue() {
    for (Value secret : secretValues()) {
      store().put(NS, "k", secret);
      assertThrowsWithoutSecret(VersionConflictException.class, () -> store().compareAndSet(NS, "k", 99, secret));
      assertThrowsWithoutSecret(VersionConflictException.class, () -> store().compareAndSet(NS, "absent", 1, secret));
      assertThrowsWithoutSecret(VersionConflictException.class, () -> store().deleteIfVersion(NS, "k", 99));
    }
  }

  @Test
  void notFoundDoesNotShowTheValue() {
    store().namespaces().create("hist", NamespaceSettings.defaults().withMaxVersions(3));
    for (Value secret : secretValues()) {
      store().put("hist", "k", secret);
      assertThrowsWithoutSecret(NotFoundException.class, () -> store().update(NS, "absent", secret));
      assertThrowsWithoutSecret(NotFoundException.class, () -> store().rotate(NS, "absent", secret, WriteOptions.none()));
      assertThrowsWithoutSecret(NotFoundException.class, () -> store().rollback("hist", "k", 99, WriteOptions.none()));
    }
  }

  @Test
  void invalidInputDoesNotShowTheValue() {
    int copies = InputRules.DEFAULT_MAX_VALUE_BYTES / SECRET.length() + 1;
    String huge = SECRET.repeat(copies);
    List<Value> tooLarge = List.of(
        Value.string(huge),
        Value.json("\"" + huge + "\""),
        Value.binary(huge.getBytes(StandardCharsets.UTF_8)));

    for (Value v : tooLarge) {
      assertThrowsWithoutSecret(InvalidInputException.class, () -> store().put(NS, "k", v));
      assertThrowsWithoutSecret(InvalidInputException.class, () -> store().putAll(NS, Map.of("k", v)));
    }
    assertThrowsWithoutSecret(InvalidInputException.class, () -> store().put(NS, "bad//key", Value.string(SECRET)));
    assertThrowsWithoutSecret(InvalidInputException.class, () -> Value.json("{\"p\":\"" + SECRET + "\""));
    assertThrowsWithoutSecret(InvalidInputException.class, () -> Value.number(SECRET));
  }

  @Test
  void entriesValuesHistoryAndEventsDoNotShowTheValue() {
    store().namespaces().create("hist", NamespaceSettings.defaults().withMaxVersions(3));
    List<Object> shown = new CopyOnWriteArrayList<>();
    store().subscribe(ChangeFilter.all(), shown::add);
    for (Value secret : secretValues()) {
      String key = "k-" + secret.type();
      Entry written = store().put("hist", key, secret);
      store().put("hist", key, secret);
      shown.add(secret);
      shown.add(written);
      shown.add(store().get("hist", key).orElseThrow());
      shown.addAll(store().getAll("hist", List.of(key)).values());
      shown.add(store().getAll("hist", List.of(key)));
      for (VersionRecord r : store().history("hist", key)) {
        shown.add(r);
      }
    }
    shown.add(store().list("hist", ListOptions.all()));

    assertThat(shown).hasSizeGreaterThan(20);
    shown.forEach(SecrecyContract::assertNoSecret);
  }
}
