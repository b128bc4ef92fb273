package io.kv.spi;

import io.kv.InputRules;
import io.kv.InvalidInputException;
import io.kv.Transaction;
import io.kv.TransactionFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * What every backend checks of a {@link Transaction}: its keys, values and options before it
 * touches storage, and its compares against the live state once it holds what it locks, so that
 * every backend refuses the same requests with the same errors.
 *
 * <p>Stateless and thread-safe.
 */
public final class TransactionChecks {
  private TransactionChecks() {}

  /**
   * Checks the namespace and every key, value and option of {@code transaction} against {@code
   * limits}, as a write of each would.
   *
   * @param limits the input limits
   * @param namespace the namespace name
   * @param transaction the request
   * @throws NullPointerException if an argument is null
   * @throws InvalidInputException naming the field that breaks a limit
   */
  public static void inputs(InputRules limits, String namespace, Transaction transaction) {
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(transaction, "transaction");
    limits.checkNamespace(namespace);
    for (Transaction.Compare c : transaction.compares()) {
      limits.checkKey(c.key());
    }
    for (Transaction.Write w : transaction.writes()) {
      limits.checkKey(w.key());
      if (w.kind() != Transaction.Write.Kind.DELETE) {
        limits.checkValue(w.value());
        limits.checkOptions(w.options());
      }
    }
  }

  /**
   * Every compare of {@code transaction} that does not hold, explicit compares first, then those
   * implied by creates and updates, each in the order given.
   *
   * @param transaction the request
   * @param liveVersion the live version of a key, 0 when it has no live entry (expired counts as
   *     absent)
   * @return the failed compares, empty when all hold
   * @throws NullPointerException if an argument is null
   */
  public static List<TransactionFailedException.Failure> failures(Transaction transaction,
      ToLongFunction<String> liveVersion) {
    Objects.requireNonNull(liveVersion, "liveVersion");
    List<TransactionFailedException.Failure> failed = new ArrayList<>();
    for (Transaction.Compare c : transaction.compares()) {
      check(c, liveVersion, failed);
    }
    for (Transaction.Write w : transaction.writes()) {
      Transaction.Compare implied = w.impliedCompare();
      if (implied != null) {
        check(implied, liveVersion, failed);
      }
    }
    return failed;
  }

  /**
   * Throws if any compare of {@code transaction} does not hold; see {@link #failures}.
   *
   * @param namespace the namespace of the transaction
   * @param transaction the request
   * @param liveVersion the live version of a key, 0 when it has no live entry
   * @throws TransactionFailedException naming every compare that failed
   * @throws NullPointerException if an argument is null
   */
  public static void requireCompares(String namespace, Transaction transaction, ToLongFunction<String> liveVersion) {
    List<TransactionFailedException.Failure> failed = failures(transaction, liveVersion);
    if (!failed.isEmpty()) {
      throw new TransactionFailedException(namespace, failed);
    }
  }

  private static void check(Transaction.Compare c, ToLongFunction<String> liveVersion,
      List<TransactionFailedException.Failure> failed) {
    long live = liveVersion.applyAsLong(c.key());
    if (!c.holdsFor(live)) {
      failed.add(new TransactionFailedException.Failure(c, live));
    }
  }
}
