package io.herald.store;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * Counts what Herald asks of its database, for {@code /observe/metrics} ({@code herald_db_statements_total},
 * {@code herald_db_commits_total}) and the benchmarks' "statements and commits per message":
 * <ul>
 *   <li>a statement is one execution sent to the database: {@code execute*}, and {@code executeBatch} once per batch
 *   (one round trip, however many rows);</li>
 *   <li>a commit is an explicit {@code commit()}, or a writing statement run in auto-commit mode.</li>
 * </ul>
 * A thin dynamic proxy over the pool's connections; it changes nothing else.
 */
public final class StatementCounter implements DataSource {
    private final DataSource delegate;
    private final LongAdder statements = new LongAdder();
    private final LongAdder commits = new LongAdder();
    /** With -Dherald.db.count-by-statement=true: executions per SQL text, for profiling (see {@link #bySql()}). */
    private final java.util.Map<String, LongAdder> bySql = Boolean.getBoolean("herald.db.count-by-statement")
            ? new java.util.concurrent.ConcurrentHashMap<>() : null;

    public StatementCounter(DataSource delegate) {
        this.delegate = delegate;
    }

    public long statements() {
        return statements.sum();
    }

    public long commits() {
        return commits.sum();
    }

    /** Executions per SQL text, most first ("auto-commit" or "commit" for commits); empty unless enabled. */
    public java.util.List<String> bySql() {
        if (bySql == null) {
            return java.util.List.of();
        }
        return bySql.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue().sum(), a.getValue().sum()))
                .map(e -> e.getValue().sum() + "  " + e.getKey()).toList();
    }

    private void count(String sql) {
        if (bySql != null) {
            bySql.computeIfAbsent(sql, k -> new LongAdder()).increment();
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        return counted(delegate.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return counted(delegate.getConnection(username, password));
    }

    private Connection counted(Connection connection) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                new ConnectionHandler(connection));
    }

    private final class ConnectionHandler implements InvocationHandler {
        private final Connection connection;

        ConnectionHandler(Connection connection) {
            this.connection = connection;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            Object result = call(connection, method, args);
            String name = method.getName();
            if (name.equals("commit")) {
                commits.increment();
                count("(commit)");
            } else if (result instanceof Statement statement && method.getReturnType().isInterface()) {
                String sql = args != null && args.length > 0 && args[0] instanceof String text ? text : "(statement)";
                return Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[] {method.getReturnType()},
                        new StatementHandler(statement, connection, sql));
            }
            return result;
        }
    }

    private final class StatementHandler implements InvocationHandler {
        private final Statement statement;
        private final Connection connection;
        private final String sql;

        StatementHandler(Statement statement, Connection connection, String sql) {
            this.statement = statement;
            this.connection = connection;
            this.sql = sql;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (name.startsWith("execute")) {
                statements.increment();
                count(sql);
                if (!name.equals("executeQuery") && connection.getAutoCommit()) {
                    commits.increment();
                    count("(auto-commit)");
                }
            }
            return call(statement, method, args);
        }
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
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
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : delegate.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || delegate.isWrapperFor(type);
    }
}
