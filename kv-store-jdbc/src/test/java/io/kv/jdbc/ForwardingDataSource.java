package io.kv.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} that hands out its delegate's connections through {@link #wrap}, and
 * forwards everything else: the base of the test data sources that watch or break what a store
 * does on its connections. Thread-safe if {@link #wrap} is.
 */
abstract class ForwardingDataSource implements DataSource {
  final DataSource delegate;

  ForwardingDataSource(DataSource delegate) {
    this.delegate = delegate;
  }

  /** The connection the store gets for {@code c}, a connection of the delegate. */
  abstract Connection wrap(Connection c) throws SQLException;

  /** Where the next connection comes from; the delegate unless a subclass switches it. */
  DataSource target() {
    return delegate;
  }

  /** Calls {@code method} on {@code target}, throwing what the call threw. */
  static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public final Connection getConnection() throws SQLException {
    return wrap(target().getConnection());
  }

  @Override
  public final Connection getConnection(String username, String password) throws SQLException {
    return wrap(target().getConnection(username, password));
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return delegate.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    delegate.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    delegate.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return delegate.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    return delegate.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || delegate.isWrapperFor(iface);
  }
}
