package io.kv.memory;

import io.kv.AlreadyExistsException;
import io.kv.ChangeType;
import io.kv.Namespace;
import io.kv.NamespaceSettings;
import io.kv.Namespaces;
import io.kv.NotFoundException;
import io.kv.Principal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Namespace administration of a memory store. Changes take the namespace's write lock. */
final class MemoryNamespaces implements Namespaces {
  private final MemoryState state;
  private final Principal principal;

  MemoryNamespaces(MemoryState state, Principal principal) {
    this.state = state;
    this.principal = principal;
  }

  @Override
  public Namespace create(String name, NamespaceSettings settings) {
    Objects.requireNonNull(settings, "settings");
    Space s = state.spaceFor(name);
    s.lock.lock();
    try {
      if (s.declared != null) {
        throw new AlreadyExistsException(name, null, "namespace '" + name + "' already exists");
      }
      Instant now = Instant.ofEpochMilli(state.clock.millis());
      s.declared = new Namespace(name, settings, now, now);
      return s.declared;
    } finally {
      s.lock.unlock();
    }
  }

  @Override
  public Optional<Namespace> get(String name) {
    state.limits.checkNamespace(name);
    Space s = state.spaces.get(name);
    return s == null ? Optional.empty() : Optional.ofNullable(s.declared);
  }

  @Override
  public List<Namespace> list() {
    List<Namespace> out = new ArrayList<>();
    for (Space s : state.spaces.values()) {
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
    Space s = state.spaces.get(name);
    if (s == null) {
      throw notDeclared(name);
    }
    s.lock.lock();
    try {
      Namespace d = s.declared;
      if (d == null) {
        throw notDeclared(name);
      }
      s.declared = new Namespace(name, settings, d.createdAt(), Instant.ofEpochMilli(state.clock.millis()));
      return s.declared;
    } finally {
      s.lock.unlock();
    }
  }

  @Override
  public boolean delete(String name, DeleteMode mode) {
    Objects.requireNonNull(mode, "mode");
    state.limits.checkNamespace(name);
    Space s = state.spaces.get(name);
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
        throw new IllegalStateException("namespace '" + name + "' still holds entries");
      }
      for (Map.Entry<String, Space.Slot> e : s.slots.entrySet()) {
        Node n = e.getValue().node();
        s.replace(e.getKey(), e.getValue(), n, null);
        ChangeType type = n.expiredAt(now) ? ChangeType.EXPIRED : ChangeType.DELETED;
        state.listeners.publish(type, name, e.getKey(), n.entry.version(), now, type == ChangeType.EXPIRED ? Principal.SYSTEM : principal);
      }
      s.declared = null;
      return true;
    } finally {
      s.lock.unlock();
    }
  }

  private static NotFoundException notDeclared(String name) {
    return new NotFoundException(name, null, "namespace '" + name + "' does not exist");
  }
}
