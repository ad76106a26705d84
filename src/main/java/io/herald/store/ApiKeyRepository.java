package io.herald.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** API keys and their secrets are stored only as SHA-256 hashes; the clear values exist once, in the creation answer. */
public class ApiKeyRepository {
    public record StoredKey(long id, long accountId, String secretHash, boolean sandbox) {
    }

    private final Jdbc jdbc;

    public ApiKeyRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public long create(long accountId, String keyHash, String secretHash, boolean sandbox) {
        return jdbc.inTransaction(c -> Jdbc.insert(c,
                "INSERT INTO api_key (account_id, key_hash, secret_hash, sandbox, created_at) VALUES (?, ?, ?, ?, ?)",
                accountId, keyHash, secretHash, sandbox, OffsetDateTime.now(ZoneOffset.UTC)));
    }

    public Optional<StoredKey> findActive(String keyHash) {
        return jdbc.queryOne("SELECT * FROM api_key WHERE key_hash = ? AND revoked_at IS NULL", ApiKeyRepository::map, keyHash);
    }

    public boolean revoke(long accountId, long keyId) {
        return jdbc.update("UPDATE api_key SET revoked_at = ? WHERE id = ? AND account_id = ? AND revoked_at IS NULL",
                OffsetDateTime.now(ZoneOffset.UTC), keyId, accountId) == 1;
    }

    public int revokeAll(long accountId) {
        return jdbc.update("UPDATE api_key SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL",
                OffsetDateTime.now(ZoneOffset.UTC), accountId);
    }

    /** The hash of one of the account's keys, revoked or not (to forget it in {@link ApiKeyCache}). */
    public Optional<String> keyHash(long accountId, long keyId) {
        return jdbc.queryOne("SELECT key_hash FROM api_key WHERE id = ? AND account_id = ?", rs -> rs.getString(1), keyId, accountId);
    }

    public List<String> keyHashes(long accountId) {
        return jdbc.query("SELECT key_hash FROM api_key WHERE account_id = ?", rs -> rs.getString(1), accountId);
    }

    private static StoredKey map(ResultSet rs) throws SQLException {
        return new StoredKey(rs.getLong("id"), rs.getLong("account_id"), rs.getString("secret_hash"), rs.getBoolean("sandbox"));
    }
}
