package io.kv.memory;

import io.kv.AlreadyExistsException;
import io.kv.ChangeType;
import io.kv.Namespace;
import io.kv.NamespaceSettings;
import io.kv.Namespaces;
import io.kv.NotFoundException;
import io.kv.Principal;
import io.kv.StateConflictException;
import io.kv.Subscription;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Namespace administration of a memory store. Changes take the namespace's write lock; {@link
 * #watch} listeners hear of each change after the lock is released.
 */
final class MemoryNamespaces implements Namespaces {
  private final SharedState state;
  private final Principal principal;

  MemoryNamespaces(SharedState state, Principal principal) {
    this.state = state;
    this.principal = principal;
  }

  @Override
  public Namespace create(String name, NamespaceSettings settings) {
    Objects.requireNonNull(settings, "settings");
    NamespaceTable s = state.tableFor(name);
    Namespace created;
    s.lock.lock();
    try {
      if (s.declared != null) {
        throw new AlreadyExistsException(name, null, "namespace '" + name + "' already exists");
      }
      Instant now = Instant.ofEpochMilli(state.clock.millis());
      created = s.declared = new Namespace(name, settings, now, now);
    } finally {
      s.lock.unlock();
    }
    return changed(created, name);
  }

  @Override
  public Optional<Namespace> get(String name) {
    state.limits.checkNamespace(name);
    NamespaceTable s = state.tables.get(name);
    return s == null ? Optional.empty() : Optional.ofNullable(s.declared);
  }

  @Override
  public List<Namespace> list() {
    List<Namespace> out = new ArrayList<>();
    for (NamespaceTable s : state.tables.values()) {
      Namespace d = s.declared;
      if (d != null) {
        out.add(d);
      }
    }
    out.sort(Comparator.comparing(Namespace::name, KeyOrder.CODE_POINT));
    return List.copyOf(out);
  }

  @Override
  public Namespace update(String name, NamespaceSettings settings) {
    Objects.requireNonNull(settings, "settings");
    state.limits.checkNamespace(name);
    NamespaceTable s = state.tables.get(name);
    if (s == null) {
      throw notDeclared(name);
    }
    Namespace updated;
    s.lock.lock();
    try {
      Namespace d = s.declared;
      if (d == null) {
        throw notDeclared(name);
      }
      updated = s.declared = new Namespace(name, settings, d.createdAt(), Instant.ofEpochMilli(state.clock.millis()));
    } finally {
      s.lock.unlock();
    }
    return changed(updated, name);
  }

  @Override
  public boolean delete(String name, DeleteMode mode) {
    Objects.requireNonNull(mode, "mode");
    state.limits.checkNamespace(name);
    NamespaceTable s = state.tables.get(name);
    if (s == null) {
      return false;
    }
    s.lock.lock();
    try {
      if (s.declared == null) {
        return false;
      }
      long now = state.clock.millis();
      if (mode == DeleteMode.REFUSE_IF_NOT_EMPTY && s.slots.values().stream().anyMatch(slot -> !slot.node().expiredAt(now))) {
        throw new StateConflictException(name, null, "namespace '" + name + "' still holds entries");
      }
      for (Map.Entry<String, NamespaceTable.Slot> e : s.slots.entrySet()) {
        Node n = e.getValue().node();
        ChangeType type = n.expiredAt(now) ? ChangeType.EXPIRED : ChangeType.DELETED;
        state.listeners.publish(state.removeLogged(s, e.getKey(), e.getValue(), n, type, Instant.ofEpochMilli(now),
            type == ChangeType.EXPIRED ? Principal.SYSTEM : principal));
      }
      s.declared = null;
    } finally {
      s.lock.unlock();
    }
    return changed(true, name);
  }

  @Override
  public Optional<Subscription> watch(Consumer<String> listener) {
    return state.namespaceWatchers.add(listener);
  }

  private <T> T changed(T result, String name) {
    state.namespaceWatchers.changed(name);
    return result;
  }

  private static NotFoundException notDeclared(String name) {
    return new NotFoundException(name, null, "namespace '" + name + "' does not exist");
  }
}
