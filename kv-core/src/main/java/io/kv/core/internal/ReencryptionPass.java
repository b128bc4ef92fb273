package io.kv.core.internal;

import io.kv.DecryptionException;
import io.kv.Entry;
import io.kv.InvalidInputException;
import io.kv.KvStore;
import io.kv.ListOptions;
import io.kv.Namespace;
import io.kv.Page;
import io.kv.StateConflictException;
import io.kv.ValueRewriter;
import io.kv.core.Reencryption;
import io.kv.core.Reencryptor;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Reencryptor}: pages through each secret namespace of the backend in key order and
 * has the backend rewrite every entry with {@link ValueCipher#reencrypt}, which leaves a value
 * already under the primary key as it is (the same instance, so the backend writes nothing for
 * it). Each entry is one atomic rewrite; progress lives in the data itself, which is why a pass
 * can stop anywhere and start again from the beginning.
 *
 * <p>Thread-safe: it holds no state between calls.
 */
public final class ReencryptionPass implements Reencryptor {
  private static final Logger LOG = LoggerFactory.getLogger(ReencryptionPass.class);

  private final KvStore backend;
  private final ValueRewriter rewriter;
  private final ValueCipher cipher;

  /**
   * A pass that lists {@code backend} and rewrites through {@code rewriter}, under {@code keys}.
   *
   * @throws NullPointerException if an argument is null
   */
  public ReencryptionPass(KvStore backend, ValueRewriter rewriter, KeyMaterial keys) {
    this.backend = Objects.requireNonNull(backend, "backend");
    this.rewriter = Objects.requireNonNull(rewriter, "rewriter");
    this.cipher = new ValueCipher(keys);
  }

  @Override
  public Reencryption reencrypt(String namespace) {
    Objects.requireNonNull(namespace, "namespace");
    boolean secret = backend.namespaces().get(namespace).map(ns -> ns.settings().secret()).orElse(false);
    if (!secret) {
      throw new StateConflictException(namespace, null,
          "namespace '" + namespace + "' is not declared secret, so it holds no encrypted values");
    }
    return pass(namespace);
  }

  @Override
  public Reencryption reencryptAll() {
    Reencryption total = new Reencryption(0, 0, 0, 0, 0);
    for (Namespace ns : backend.namespaces().list()) {
      if (ns.settings().secret()) {
        total = total.plus(pass(ns.name()));
      }
    }
    return total;
  }

  private Reencryption pass(String namespace) {
    long entries = 0;
    long reencrypted = 0;
    long versions = 0;
    long failed = 0;
    ListOptions first = ListOptions.all().limit(ListOptions.MAX_LIMIT);
    Page page = backend.list(namespace, first);
    while (true) {
      for (Entry e : page.entries()) {
        entries++;
        String key = e.key();
        try {
          int moved = rewriter.rewriteValues(namespace, key, v -> cipher.reencrypt(namespace, key, v));
          if (moved > 0) {
            reencrypted++;
            versions += moved;
          }
        } catch (DecryptionException | InvalidInputException ex) {
          failed++;
          LOG.warn("re-encryption left entry '{}/{}' as it was: {}", namespace, key, ex.getMessage(), ex);
        }
      }
      if (page.nextCursor().isEmpty()) {
        break;
      }
      page = backend.list(namespace, first.after(page.nextCursor().get()));
    }
    LOG.info("re-encrypted namespace '{}' to key '{}': {} of {} entries moved ({} versions), {} failed",
        namespace, cipher.keys().primaryId(), reencrypted, entries, versions, failed);
    return new Reencryption(1, entries, reencrypted, versions, failed);
  }
}
