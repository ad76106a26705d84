package io.herald.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows to write in one transaction, gathered by statement: every row of one SQL text goes to the database as one JDBC
 * batch (one round trip), whoever added it. Statements run in the order their SQL was first added, so a table's rows
 * are written before the rows of a later-added statement that refers to them.
 * <p>
 * A row may ask for its update count ({@link #add(String, Counted, Object...)}): a conditional update learns
 * whether it changed the row, and may then add the rows that depend on it (the event of a status change); those go
 * in the next round of {@link #flush()}, still in the same transaction.
 */
public final class Batch {
    /** Hears how many rows a statement changed; may add rows (the next round) or run statements on the connection. */
    @FunctionalInterface
    public interface Counted {
        void rows(int changed) throws SQLException;
    }

    /** Hears the key the database generated for an inserted row. */
    @FunctionalInterface
    public interface Keyed {
        void key(long generated) throws SQLException;
    }

    private record Row(Object[] params, Counted counted, Keyed keyed) {
    }

    private final Connection connection;
    private Map<String, List<Row>> pending = new LinkedHashMap<>();

    public Batch(Connection connection) {
        this.connection = connection;
    }

    /** The transaction's connection, for the few statements that cannot wait (an insert whose generated key is needed). */
    public Connection connection() {
        return connection;
    }

    public void add(String sql, Object... params) {
        add(sql, null, params);
    }

    /** Adds a row; {@code counted} hears how many rows its statement changed, once the batch ran. */
    public void add(String sql, Counted counted, Object... params) {
        pending.computeIfAbsent(sql, s -> new ArrayList<>()).add(new Row(params, counted, null));
    }

    /**
     * Adds a row to insert whose generated key is needed ({@code keyed} hears it once the batch ran; it may add rows
     * that refer to it). Every row of one SQL text must then ask for its key.
     */
    public void insert(String sql, Keyed keyed, Object... params) {
        pending.computeIfAbsent(sql, s -> new ArrayList<>()).add(new Row(params, null, keyed));
    }

    /** Runs every pending row, round after round, until no callback adds more. */
    public void flush() throws SQLException {
        while (!pending.isEmpty()) {
            Map<String, List<Row>> round = pending;
            pending = new LinkedHashMap<>();
            for (Map.Entry<String, List<Row>> statement : round.entrySet()) {
                run(statement.getKey(), statement.getValue());
            }
        }
    }

    private void run(String sql, List<Row> rows) throws SQLException {
        int[] counts;
        boolean keyed = rows.get(0).keyed() != null;
        long[] keys = new long[keyed ? rows.size() : 0];
        try (PreparedStatement ps = keyed ? connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)
                : connection.prepareStatement(sql)) {
            if (rows.size() == 1) {
                Jdbc.bind(ps, rows.get(0).params());
                counts = new int[] {ps.executeUpdate()};
            } else {
                for (Row row : rows) {
                    Jdbc.bind(ps, row.params());
                    ps.addBatch();
                }
                counts = ps.executeBatch();
            }
            if (keyed) {
                int n = 0;
                try (ResultSet generated = ps.getGeneratedKeys()) {
                    while (generated.next() && n < keys.length) {
                        keys[n++] = generated.getLong(1);
                    }
                }
                if (n != keys.length) {
                    throw new SQLException("the database gave " + n + " generated keys for " + keys.length + " rows");
                }
            }
        }
        for (int i = 0; i < rows.size(); i++) {
            if (keyed) {
                rows.get(i).keyed().key(keys[i]);
            }
            Counted counted = rows.get(i).counted();
            if (counted != null) {
                counted.rows(i < counts.length ? counts[i] : 0);
            }
        }
    }
}
