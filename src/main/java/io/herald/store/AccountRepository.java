package io.herald.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

public class AccountRepository {
    private final Jdbc jdbc;

    public AccountRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public Account create(String name, Long messageLimit, List<String> allowedCountries, boolean demo) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return jdbc.inTransaction(c -> {
            long id = Jdbc.insert(c, "INSERT INTO account (name, message_limit, allowed_countries, demo, created_at) VALUES (?, ?, ?, ?, ?)",
                    name, messageLimit, countries(allowedCountries), demo, now);
            return new Account(id, name, messageLimit, allowedCountries, 0, demo, null, null, now);
        });
    }

    public Optional<Account> find(long id) {
        return jdbc.queryOne("SELECT * FROM account WHERE id = ?", AccountRepository::map, id);
    }

    /** Accounts newest first, those with an id below {@code beforeId} (null: from the newest), at most {@code limit}. */
    public List<Account> list(Long beforeId, int limit) {
        return beforeId == null
                ? jdbc.query("SELECT * FROM account ORDER BY id DESC FETCH FIRST " + limit + " ROWS ONLY", AccountRepository::map)
                : jdbc.query("SELECT * FROM account WHERE id < ? ORDER BY id DESC FETCH FIRST " + limit + " ROWS ONLY",
                        AccountRepository::map, beforeId);
    }

    /** What an operator may change of an account (PATCH /admin/accounts/{id}); a null field is left as it is. */
    public record Change(String name, Optional<Long> messageLimit, Optional<List<String>> allowedCountries,
                         Optional<Integer> rateLimit, Boolean disabled) {
    }

    /** Applies {@code change}; answers false when there is no such account. */
    public boolean update(long id, Change change) {
        List<String> sets = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        if (change.name() != null) {
            sets.add("name = ?");
            params.add(change.name());
        }
        if (change.messageLimit() != null) {
            sets.add("message_limit = ?");
            params.add(change.messageLimit().orElse(null));
        }
        if (change.allowedCountries() != null) {
            sets.add("allowed_countries = ?");
            params.add(countries(change.allowedCountries().orElse(null)));
        }
        if (change.rateLimit() != null) {
            sets.add("rate_limit = ?");
            params.add(change.rateLimit().orElse(null));
        }
        if (change.disabled() != null) {
            // disabling keeps the first time it was disabled; enabling clears it
            sets.add(change.disabled() ? "disabled_at = COALESCE(disabled_at, ?)" : "disabled_at = NULL");
            if (change.disabled()) {
                params.add(OffsetDateTime.now(ZoneOffset.UTC));
            }
        }
        if (sets.isEmpty()) {
            return find(id).isPresent();
        }
        params.add(id);
        return jdbc.update("UPDATE account SET " + String.join(", ", sets) + " WHERE id = ?", params.toArray()) == 1;
    }

    private static String countries(List<String> allowedCountries) {
        return allowedCountries == null ? null : String.join(",", allowedCountries);
    }

    public Optional<Account> findDemo() {
        return jdbc.queryOne("SELECT * FROM account WHERE demo = TRUE ORDER BY id", AccountRepository::map);
    }

    /** Takes {@code wanted} messages of the limit in one atomic conditional increment, if that many are left. */
    private static final String RESERVE = "UPDATE account SET messages_sent = messages_sent + ? WHERE id = ?"
            + " AND (message_limit IS NULL OR messages_sent + ? <= message_limit)";

    /**
     * Reserves up to {@code wanted} messages of the account's limit inside the caller's transaction and answers how
     * many were granted. An atomic conditional increment, no read and no lock held in between: concurrent senders of
     * one account (on any instance) never take more than the limit together.
     */
    public int reserve(Connection c, long accountId, int wanted) throws SQLException {
        if (wanted == 0) {
            return 0;
        }
        return Jdbc.update(c, RESERVE, wanted, accountId, wanted) == 1 ? wanted : reserveWhatIsLeft(c, accountId, wanted);
    }

    /** {@link #reserve(Connection, long, int)} as part of a group commit; {@code granted} hears how many were granted. */
    public void reserve(Batch b, long accountId, int wanted, Granted granted) throws SQLException {
        if (wanted == 0) {
            granted.messages(0);
            return;
        }
        b.add(RESERVE, changed -> granted.messages(changed == 1 ? wanted : reserveWhatIsLeft(b.connection(), accountId, wanted)),
                wanted, accountId, wanted);
    }

    @FunctionalInterface
    public interface Granted {
        void messages(int granted) throws SQLException;
    }

    /** Fewer than wanted are left: takes what is left, again by a conditional increment (another sender may race). */
    private static int reserveWhatIsLeft(Connection c, long accountId, int wanted) throws SQLException {
        for (int attempt = 0; attempt < 10; attempt++) {
            long left = Jdbc.query(c, "SELECT message_limit - messages_sent FROM account WHERE id = ?", rs -> rs.getLong(1),
                    accountId).get(0);
            int take = (int) Math.max(0, Math.min(wanted, left));
            if (take == 0 || Jdbc.update(c, RESERVE, take, accountId, take) == 1) {
                return take;
            }
        }
        return 0;
    }

    private static Account map(ResultSet rs) throws SQLException {
        String countries = rs.getString("allowed_countries");
        return new Account(rs.getLong("id"), rs.getString("name"), Jdbc.nullableLong(rs, "message_limit"),
                countries == null ? null : Arrays.stream(countries.split(",")).filter(s -> !s.isBlank()).toList(),
                rs.getLong("messages_sent"), rs.getBoolean("demo"), (Integer) rs.getObject("rate_limit"),
                Jdbc.timestamp(rs, "disabled_at"), Jdbc.timestamp(rs, "created_at"));
    }
}
