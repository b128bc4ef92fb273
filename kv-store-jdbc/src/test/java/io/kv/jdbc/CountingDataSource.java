package io.kv.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * A {@link DataSource} that counts the round trips its connections make to the database: every
 * statement execution ({@code execute*}, {@code executeBatch}), every {@code commit} and {@code
 * rollback}, per thread and in total, and keeps the SQL of each execution. Tests use it to prove
 * that an operation runs no SQL, or how many statements it runs, without timing anything.
 * Thread-safe.
 */
final class CountingDataSource extends ForwardingDataSource {
  private static final Set<String> EXECUTIONS =
      Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate", "executeBatch", "executeLargeBatch");

  private final AtomicLong total = new AtomicLong();
  private final Map<Thread, AtomicLong> byThread = new ConcurrentHashMap<>();
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final Map<Thread, List<String>> logByThread = new ConcurrentHashMap<>();

  CountingDataSource(DataSource delegate) {
    super(delegate);
  }

  /** Round trips made so far, on every thread. */
  long total() {
    return total.get();
  }

  /** Round trips made so far on the calling thread. */
  long onThisThread() {
    AtomicLong n = byThread.get(Thread.currentThread());
    return n == null ? 0 : n.get();
  }

  /** The SQL (or "commit", "rollback") of each round trip so far, in order, on every thread. */
  List<String> log() {
    return List.copyOf(log);
  }

  /** The SQL (or "commit", "rollback") of each round trip so far on the calling thread, in order. */
  List<String> logOnThisThread() {
    List<String> mine = logByThread.get(Thread.currentThread());
    return mine == null ? List.of() : List.copyOf(mine);
  }

  /** Forgets what was counted so far. */
  void reset() {
    total.set(0);
    byThread.clear();
    log.clear();
    logByThread.clear();
  }

  private void count(String what) {
    total.incrementAndGet();
    byThread.computeIfAbsent(Thread.currentThread(), t -> new AtomicLong()).incrementAndGet();
    log.add(what);
    logByThread.computeIfAbsent(Thread.currentThread(), t -> new CopyOnWriteArrayList<>()).add(what);
  }

  @Override
  Connection wrap(Connection c) {
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          String name = method.getName();
          if (name.equals("commit") || name.equals("rollback")) {
            count(name);
          }
          Object result = invoke(c, method, args);
          if (result instanceof CallableStatement s) {
            return statement(s, CallableStatement.class, sql(args));
          }
          if (result instanceof PreparedStatement s) {
            return statement(s, PreparedStatement.class, sql(args));
          }
          if (result instanceof Statement s) {
            return statement(s, Statement.class, null);
          }
          return result;
        });
  }

  private static String sql(Object[] args) {
    return args != null && args.length > 0 && args[0] instanceof String s ? s : null;
  }

  private Object statement(Statement s, Class<? extends Statement> type, String prepared) {
    InvocationHandler h = (proxy, method, args) -> {
      if (EXECUTIONS.contains(method.getName())) {
        String sql = prepared != null ? prepared : sql(args);
        count(sql != null ? sql : method.getName());
      }
      return invoke(s, method, args);
    };
    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, h);
  }
}
