package io.kv.core.internal;

import io.kv.KvStore;
import io.kv.Namespace;
import io.kv.NamespaceSettings;
import io.kv.Namespaces;
import java.util.Objects;

/**
 * The versioning layer: secret namespaces keep version history. A namespace declared or updated
 * through this layer as {@link NamespaceSettings#secret() secret} with {@link
 * NamespaceSettings#maxVersions() maxVersions} 0 is stored with {@code maxVersions} set to this
 * layer's secret history depth (default {@value #DEFAULT_SECRET_HISTORY}); the {@link Namespace}
 * returned shows the settings as stored. Any namespace that asks for history with a positive
 * {@code maxVersions}, secret or not, keeps what it asked for; a secret namespace cannot turn
 * history off. Namespaces declared on the backend directly, around this layer, are not rewritten.
 *
 * <p>History itself (records with who, when, why; {@code rotate}; {@code rollback}; trimming to
 * {@code maxVersions}) is kept by the backend, atomically with each write; this layer passes entry
 * operations through unchanged.
 *
 * <p>Thread-safe and stateless beyond its configuration.
 */
public final class VersioningLayer extends StackLayer {
  /** How many earlier versions a secret namespace keeps when it does not say: {@value}. */
  public static final int DEFAULT_SECRET_HISTORY = 10;

  private final int secretHistory;
  private final Namespaces namespaces;

  /**
   * A versioning layer over {@code delegate} giving secret namespaces {@value
   * #DEFAULT_SECRET_HISTORY} earlier versions by default.
   *
   * @throws NullPointerException if {@code delegate} is null
   */
  public VersioningLayer(KvStore delegate) {
    this(delegate, DEFAULT_SECRET_HISTORY);
  }

  /**
   * A versioning layer over {@code delegate}.
   *
   * @param delegate the next layer down
   * @param secretHistory how many earlier versions a secret namespace declared with {@code
   *     maxVersions} 0 keeps
   * @throws NullPointerException if {@code delegate} is null
   * @throws IllegalArgumentException if {@code secretHistory} is not between 1 and {@link
   *     NamespaceSettings#MAX_VERSIONS_LIMIT}
   */
  public VersioningLayer(KvStore delegate, int secretHistory) {
    super(delegate);
    if (secretHistory < 1 || secretHistory > NamespaceSettings.MAX_VERSIONS_LIMIT) {
      throw new IllegalArgumentException(
          "secretHistory must be between 1 and " + NamespaceSettings.MAX_VERSIONS_LIMIT + ", was " + secretHistory);
    }
    this.secretHistory = secretHistory;
    this.namespaces = new VersionedNamespaces(delegate().namespaces(), secretHistory);
  }

  /**
   * This layer's namespace administration over {@code delegate}, without the layer: what a stack
   * uses, since this layer passes every entry operation through unchanged and a layer on the
   * entry path costs every get a call.
   *
   * @throws NullPointerException if {@code delegate} is null
   * @throws IllegalArgumentException if {@code secretHistory} is out of range (see the constructor)
   */
  public static Namespaces namespaces(Namespaces delegate, int secretHistory) {
    if (secretHistory < 1 || secretHistory > NamespaceSettings.MAX_VERSIONS_LIMIT) {
      throw new IllegalArgumentException(
          "secretHistory must be between 1 and " + NamespaceSettings.MAX_VERSIONS_LIMIT + ", was " + secretHistory);
    }
    return new VersionedNamespaces(delegate, secretHistory);
  }

  @Override
  protected KvStore over(KvStore delegate) {
    return new VersioningLayer(delegate, secretHistory);
  }

  /** Namespace administration that gives secret namespaces history. */
  @Override
  public Namespaces namespaces() {
    return namespaces;
  }

  private static final class VersionedNamespaces extends ForwardingNamespaces {
    private final int secretHistory;

    VersionedNamespaces(Namespaces delegate, int secretHistory) {
      super(delegate);
      this.secretHistory = secretHistory;
    }

    private NamespaceSettings withHistory(NamespaceSettings settings) {
      Objects.requireNonNull(settings, "settings");
      return settings.secret() && settings.maxVersions() == 0 ? settings.withMaxVersions(secretHistory) : settings;
    }

    @Override
    public Namespace create(String name, NamespaceSettings settings) {
      return delegate().create(name, withHistory(settings));
    }

    @Override
    public Namespace update(String name, NamespaceSettings settings) {
      return delegate().update(name, withHistory(settings));
    }
  }
}
