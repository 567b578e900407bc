package io.relata.process;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Savepoint;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source that hands out one connection that is already in a transaction: the write a
 * {@link io.relata.store.RecordWriteHook} takes part in. A record store on it (to-dos created by actions) works
 * inside that transaction even when the write was not started with {@code JdbcTransactions.inTransaction} and so
 * is invisible to other stores: each "connection" it gives out is a savepoint on the real one, whose
 * {@code commit} releases the savepoint, {@code rollback} rolls back to it and {@code close} does not close.
 * The outer write alone commits or rolls back.
 */
final class ConnectionBoundDataSource implements DataSource {

    private final Connection connection;

    ConnectionBoundDataSource(Connection connection) {
        this.connection = connection;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Savepoint savepoint = connection.setSavepoint();
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                new Nested(connection, savepoint));
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        throw new SQLException("Not a wrapper of " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return false;
    }

    /** One borrowed use of the outer connection, fenced by a savepoint. */
    private static final class Nested implements InvocationHandler {
        private final Connection connection;
        private final Savepoint savepoint;
        private boolean ended;
        private boolean closed;

        Nested(Connection connection, Savepoint savepoint) {
            this.connection = connection;
            this.savepoint = savepoint;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "close" -> {
                    if (!closed) {
                        closed = true;
                        end(false);
                    }
                    return null;
                }
                case "isClosed" -> {
                    return closed || connection.isClosed();
                }
                case "commit" -> {
                    end(false);
                    return null;
                }
                case "rollback" -> {
                    if (args == null || args.length == 0) {
                        end(true);
                        return null;
                    }
                }
                case "setAutoCommit" -> {
                    return null;
                }
                case "getAutoCommit" -> {
                    return false;
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                default -> {
                }
            }
            try {
                return method.invoke(connection, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        private void end(boolean rollback) throws SQLException {
            if (ended) {
                return;
            }
            ended = true;
            if (rollback) {
                connection.rollback(savepoint);
            } else {
                connection.releaseSavepoint(savepoint);
            }
        }
    }
}
