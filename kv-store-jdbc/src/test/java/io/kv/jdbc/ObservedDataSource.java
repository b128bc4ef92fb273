package io.kv.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A {@link DataSource} that lets a test act on each connection it opens and after each prepared
 * statement its connections execute: set the session up, read what the server sent back with a
 * statement, or let another thread write at the very moment a statement of the store returned.
 * Everything else goes to the delegate unchanged. Thread-safe if its callbacks are.
 */
final class ObservedDataSource {
  /** What runs on a connection just opened, before the store gets it. */
  @FunctionalInterface
  interface Opened {
    void opened(Connection c) throws SQLException;
  }

  /** What runs after a prepared statement executed, on the thread that executed it. */
  @FunctionalInterface
  interface Executed {
    void executed(String sql, PreparedStatement statement) throws SQLException;
  }

  private ObservedDataSource() {}

  /** {@code delegate}, observed. */
  static DataSource of(DataSource delegate, Opened opened, Executed executed) {
    return proxy(DataSource.class, delegate, (method, args, result) -> {
      if (result instanceof Connection c && method.getName().equals("getConnection")) {
        opened.opened(c);
        return connection(c, executed);
      }
      return result;
    });
  }

  private static Connection connection(Connection c, Executed executed) {
    return proxy(Connection.class, c, (method, args, result) -> {
      if (result instanceof PreparedStatement ps && args[0] instanceof String sql) {
        return proxy(PreparedStatement.class, ps, (m, a, r) -> {
          if (m.getName().startsWith("execute")) {
            executed.executed(sql, ps);
          }
          return r;
        });
      }
      return result;
    });
  }

  /** What a proxy returns for a call the target answered with {@code result}. */
  @FunctionalInterface
  private interface After {
    Object after(Method method, Object[] args, Object result) throws SQLException;
  }

  private static <T> T proxy(Class<T> type, T target, After after) {
    return type.cast(Proxy.newProxyInstance(ObservedDataSource.class.getClassLoader(), new Class<?>[] {type},
        (proxy, method, args) -> {
          Object result;
          try {
            result = method.invoke(target, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          return after.after(method, args, result);
        }));
  }
}
