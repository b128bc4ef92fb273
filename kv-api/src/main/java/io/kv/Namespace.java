package io.kv;

import java.time.Instant;
import java.util.Objects;

/**
 * A namespace as stored: its name, settings and timestamps.
 *
 * @param name the unique name, a safe identifier (see {@link InputRules#checkNamespace(String)})
 * @param settings how it behaves
 * @param createdAt when it was created
 * @param updatedAt when its settings last changed
 */
public record Namespace(String name, NamespaceSettings settings, Instant createdAt, Instant updatedAt) {
  /**
   * Checks the components are present.
   *
   * @param name the unique name, a safe identifier (see {@link InputRules#checkNamespace(String)})
   * @param settings how it behaves
   * @param createdAt when it was created
   * @param updatedAt when its settings last changed
   */
  public Namespace {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }
}
