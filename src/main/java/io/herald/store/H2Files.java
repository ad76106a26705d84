package io.herald.store;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Writing an embedded H2 database's committed changes to its file now. H2 writes them by itself up to its write delay
 * (half a second) later, from a background thread that also keeps the file compact; a process killed meanwhile loses
 * them. A caller about to be told that its data is stored calls {@link #write} after its commit: one write of the
 * file for all that was committed since the last one (a group commit's worth).
 */
public final class H2Files {
    private H2Files() {
    }

    /** Writes what is committed to the file, if {@code c} is a connection to an embedded H2 file database. */
    public static void write(Connection c) throws SQLException {
        if (!c.isWrapperFor(JdbcConnection.class)) {
            return;
        }
        if (c.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session
                && session.getDatabase().getStore() != null) {
            MVStore store = session.getDatabase().getStore().getMvStore();
            if (store.getFileStore() != null && store.hasUnsavedChanges()) {
                store.commit();
            }
        }
    }
}
