package io.kv.spring.boot;

import io.kv.ChangeFilter;
import io.kv.ChangeType;
import io.kv.Entry;
import io.kv.KvStore;
import io.kv.ListOptions;
import io.kv.Page;
import io.kv.Subscription;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.springframework.core.env.EnumerablePropertySource;

/**
 * The entries of the namespaces named by {@code kv.config.namespaces} as properties (see {@link
 * ConfigValues} for the mapping). Reads every entry once when {@link #start} is called, then keeps
 * each key up to date from the store's change events; a reader sees one consistent snapshot. When
 * two namespaces give the same property, the one listed first wins.
 *
 * <p>Thread-safe: changes arrive on the writing or change-feed thread while Spring reads.
 */
final class KvConfigPropertySource extends EnumerablePropertySource<KvStore> {
  /** The name of this source in the {@code Environment}. */
  static final String NAME = "kv-config";

  private final List<String> namespaces;
  private final Map<String, String> prefixes;
  /** Per namespace, per key, the properties that entry gives. */
  private final Map<String, Map<String, Map<String, String>>> byEntry = new ConcurrentHashMap<>();
  private final List<Subscription> subscriptions = new ArrayList<>();
  private volatile Map<String, String> snapshot = Map.of();
  private volatile String[] names = new String[0];

  KvConfigPropertySource(KvStore store, List<String> namespaces, Map<String, String> prefixes) {
    super(NAME, store);
    this.namespaces = List.copyOf(namespaces);
    this.prefixes = Map.copyOf(prefixes);
    for (String ns : this.namespaces) {
      byEntry.put(ns, new ConcurrentHashMap<>());
    }
  }

  /**
   * Subscribes to the namespaces, then reads them; subscribing first means a change made during
   * the read is applied after it instead of being lost. {@code onChange} runs after the snapshot
   * holds a change.
   */
  synchronized void start(BiConsumer<String, String> onChange) {
    for (String ns : namespaces) {
      subscriptions.add(getSource().subscribe(ChangeFilter.namespace(ns), event -> {
        refresh(ns, event.key(), event.type() == ChangeType.DELETED || event.type() == ChangeType.EXPIRED);
        onChange.accept(ns, event.key());
      }));
    }
    for (String ns : namespaces) {
      ListOptions options = ListOptions.all().limit(ListOptions.MAX_LIMIT);
      while (true) {
        Page page = getSource().list(ns, options);
        for (Entry e : page.entries()) {
          byEntry.get(ns).put(e.key(), ConfigValues.properties(ns, prefix(ns), e.key(), e.value()));
        }
        if (page.nextCursor().isEmpty()) {
          break;
        }
        options = options.after(page.nextCursor().get());
      }
    }
    rebuild();
  }

  /** Stops following changes. */
  synchronized void stop() {
    subscriptions.forEach(Subscription::close);
    subscriptions.clear();
  }

  /**
   * Re-reads one key: an event carries no value, and reading the current one makes a late event
   * harmless.
   */
  private synchronized void refresh(String ns, String key, boolean gone) {
    Optional<Entry> entry = gone ? Optional.empty() : getSource().get(ns, key);
    Map<String, Map<String, String>> entries = byEntry.get(ns);
    if (entry.isPresent()) {
      entries.put(key, ConfigValues.properties(ns, prefix(ns), key, entry.get().value()));
    } else {
      entries.remove(key);
    }
    rebuild();
  }

  private String prefix(String ns) {
    return prefixes.getOrDefault(ns, "");
  }

  private void rebuild() {
    Map<String, String> merged = new LinkedHashMap<>();
    for (String ns : namespaces) {
      byEntry.get(ns).values().forEach(props -> props.forEach(merged::putIfAbsent));
    }
    snapshot = Map.copyOf(merged);
    names = merged.keySet().toArray(String[]::new);
  }

  @Override
  public String[] getPropertyNames() {
    return names.clone();
  }

  @Override
  public Object getProperty(String name) {
    Objects.requireNonNull(name, "name");
    return snapshot.get(name);
  }

  @Override
  public boolean containsProperty(String name) {
    return snapshot.containsKey(name);
  }
}
