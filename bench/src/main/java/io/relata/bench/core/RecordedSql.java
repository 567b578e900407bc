package io.relata.bench.core;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * One statement exactly as the record store prepared it: its text and the parameter calls in order (method and
 * arguments), so that the benchmark runs the store's own SQL directly over JDBC, without the store, the REST
 * layer or HTTP. Captured by {@link #recording}, a data source that hands out connections whose prepared
 * statements note what they execute.
 */
record RecordedSql(String text, List<ParameterCall> parameters) {

    /** {@code statement.<method>(index, arguments...)}. */
    record ParameterCall(Method method, Object[] arguments) {
    }

    /**
     * Runs the statement on {@code connection} and reads every column of every row (as the store reads them),
     * returning the number of rows.
     */
    int run(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(text)) {
            bind(statement);
            try (ResultSet rows = statement.executeQuery()) {
                ResultSetMetaData columns = rows.getMetaData();
                int count = 0;
                while (rows.next()) {
                    for (int column = 1; column <= columns.getColumnCount(); column++) {
                        rows.getObject(column);
                    }
                    count++;
                }
                return count;
            }
        }
    }

    void bind(PreparedStatement statement) throws SQLException {
        for (ParameterCall call : parameters) {
            try {
                call.method().invoke(statement, call.arguments());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof SQLException sql) {
                    throw sql;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    /** A data source over {@code real} that tells {@code sink} every query its prepared statements execute. */
    static DataSource recording(DataSource real, Consumer<RecordedSql> sink) {
        return proxy(DataSource.class, (proxy, method, args) -> {
            Object result = invoke(real, method, args);
            return method.getName().equals("getConnection") ? connection((Connection) result, sink) : result;
        });
    }

    private static Connection connection(Connection real, Consumer<RecordedSql> sink) {
        return proxy(Connection.class, (proxy, method, args) -> {
            Object result = invoke(real, method, args);
            if (method.getName().equals("prepareStatement") && args != null && args[0] instanceof String text) {
                return statement((PreparedStatement) result, text, sink);
            }
            return result;
        });
    }

    private static PreparedStatement statement(PreparedStatement real, String text, Consumer<RecordedSql> sink) {
        List<ParameterCall> parameters = new ArrayList<>();
        return proxy(PreparedStatement.class, (proxy, method, args) -> {
            String name = method.getName();
            if (name.startsWith("set") && args != null && args.length >= 2 && args[0] instanceof Integer) {
                parameters.add(new ParameterCall(method, args.clone()));
            } else if (name.equals("clearParameters")) {
                parameters.clear();
            } else if (name.equals("executeQuery") && (args == null || args.length == 0)) {
                sink.accept(new RecordedSql(text, List.copyOf(parameters)));
            }
            return invoke(real, method, args);
        });
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(RecordedSql.class.getClassLoader(), new Class<?>[] {type}, handler);
    }

    /** The statement with its parameter values written in, for reading in the report (not for running). */
    String describe() {
        StringBuilder values = new StringBuilder();
        for (ParameterCall call : parameters) {
            values.append(values.length() == 0 ? "" : ", ").append('$').append(call.arguments()[0]).append(" = ")
                    .append(call.arguments()[1]);
        }
        return text + (values.length() == 0 ? "" : "\n-- " + values);
    }
}
