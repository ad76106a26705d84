package io.herald.sms;

import io.herald.store.Jdbc;

import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** Accounts' opt-out lists (blacklists) and the numbers operators marked inactive. */
public class NumberRepository {
    public static final String SOURCE_STOP = "STOP";
    public static final String SOURCE_API = "API";

    public record BlacklistEntry(String number, String source, OffsetDateTime createdAt) {
    }

    public record NumberState(String number, boolean active, OffsetDateTime updatedAt) {
    }

    /** What one lookup tells about a recipient of an account. */
    public record Standing(boolean blacklisted, boolean inactive) {
    }

    private final Jdbc jdbc;

    public NumberRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public Standing standing(long accountId, String number) {
        return jdbc.query("SELECT (SELECT COUNT(*) FROM sms_blacklist WHERE account_id = ? AND phone_number = ?) AS blacklisted,"
                        + " (SELECT COUNT(*) FROM sms_number_state WHERE phone_number = ? AND active = FALSE) AS inactive",
                rs -> new Standing(rs.getLong("blacklisted") > 0, rs.getLong("inactive") > 0), accountId, number, number).get(0);
    }

    /** Adds the number to the account's blacklist; answers false when it was already there. */
    public boolean blacklist(long accountId, String number, String source) {
        return jdbc.inTransaction(c -> {
            if (!Jdbc.query(c, "SELECT 1 FROM sms_blacklist WHERE account_id = ? AND phone_number = ?", rs -> 1, accountId, number)
                    .isEmpty()) {
                return false;
            }
            var savepoint = c.setSavepoint();
            try {
                Jdbc.update(c, "INSERT INTO sms_blacklist (account_id, phone_number, source, created_at) VALUES (?, ?, ?, ?)",
                        accountId, number, source, now());
                return true;
            } catch (SQLException e) {
                if (!isUniqueViolation(e)) {
                    throw e;
                }
                c.rollback(savepoint);
                return false;
            }
        });
    }

    public boolean unblacklist(long accountId, String number) {
        return jdbc.update("DELETE FROM sms_blacklist WHERE account_id = ? AND phone_number = ?", accountId, number) == 1;
    }

    public Optional<BlacklistEntry> blacklistEntry(long accountId, String number) {
        return jdbc.queryOne("SELECT * FROM sms_blacklist WHERE account_id = ? AND phone_number = ?", NumberRepository::entry,
                accountId, number);
    }

    public List<BlacklistEntry> blacklist(long accountId) {
        return jdbc.query("SELECT * FROM sms_blacklist WHERE account_id = ? ORDER BY created_at, phone_number",
                NumberRepository::entry, accountId);
    }

    public NumberState setActive(String number, boolean active) {
        OffsetDateTime now = now();
        jdbc.inTransaction(c -> {
            if (Jdbc.update(c, "UPDATE sms_number_state SET active = ?, updated_at = ? WHERE phone_number = ?", active, now, number) == 0) {
                Jdbc.update(c, "INSERT INTO sms_number_state (phone_number, active, updated_at) VALUES (?, ?, ?)", number, active, now);
            }
            return null;
        });
        return new NumberState(number, active, now);
    }

    public Optional<NumberState> state(String number) {
        return jdbc.queryOne("SELECT * FROM sms_number_state WHERE phone_number = ?", NumberRepository::state, number);
    }

    public List<NumberState> inactive() {
        return jdbc.query("SELECT * FROM sms_number_state WHERE active = FALSE ORDER BY phone_number", NumberRepository::state);
    }

    static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    private static BlacklistEntry entry(java.sql.ResultSet rs) throws SQLException {
        return new BlacklistEntry(rs.getString("phone_number"), rs.getString("source"), Jdbc.timestamp(rs, "created_at"));
    }

    private static NumberState state(java.sql.ResultSet rs) throws SQLException {
        return new NumberState(rs.getString("phone_number"), rs.getBoolean("active"), Jdbc.timestamp(rs, "updated_at"));
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
