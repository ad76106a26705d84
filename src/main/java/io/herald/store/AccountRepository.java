package io.herald.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

public class AccountRepository {
    private final Jdbc jdbc;

    public AccountRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public Account create(String name, Long messageLimit, List<String> allowedCountries, boolean demo) {
        return jdbc.inTransaction(c -> {
            long id = Jdbc.insert(c, "INSERT INTO account (name, message_limit, allowed_countries, demo, created_at) VALUES (?, ?, ?, ?, ?)",
                    name, messageLimit, allowedCountries == null ? null : String.join(",", allowedCountries), demo,
                    OffsetDateTime.now(ZoneOffset.UTC));
            return new Account(id, name, messageLimit, allowedCountries, 0, demo);
        });
    }

    public Optional<Account> find(long id) {
        return jdbc.queryOne("SELECT * FROM account WHERE id = ?", AccountRepository::map, id);
    }

    public Optional<Account> findDemo() {
        return jdbc.queryOne("SELECT * FROM account WHERE demo = TRUE ORDER BY id", AccountRepository::map);
    }

    /**
     * Reserves up to {@code wanted} messages of the account's limit inside the caller's transaction and
     * answers how many were granted. The row lock serialises concurrent senders of one account.
     */
    public int reserve(Connection c, long accountId, int wanted) throws SQLException {
        if (wanted == 0) {
            return 0;
        }
        Account account = Jdbc.query(c, "SELECT * FROM account WHERE id = ? FOR UPDATE", AccountRepository::map, accountId).get(0);
        long granted = account.messageLimit() == null
                ? wanted
                : Math.max(0, Math.min(wanted, account.messageLimit() - account.messagesSent()));
        Jdbc.update(c, "UPDATE account SET messages_sent = messages_sent + ? WHERE id = ?", granted, accountId);
        return (int) granted;
    }

    private static Account map(ResultSet rs) throws SQLException {
        String countries = rs.getString("allowed_countries");
        return new Account(rs.getLong("id"), rs.getString("name"), Jdbc.nullableLong(rs, "message_limit"),
                countries == null ? null : Arrays.stream(countries.split(",")).filter(s -> !s.isBlank()).toList(),
                rs.getLong("messages_sent"), rs.getBoolean("demo"));
    }
}
