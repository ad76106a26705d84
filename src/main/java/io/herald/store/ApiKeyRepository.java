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

    /** A key as an operator sees it (GET /admin/accounts/{id}/keys): never its hashes. */
    public record KeyInfo(long id, String prefix, boolean sandbox, OffsetDateTime createdAt, OffsetDateTime lastUsedAt,
                          OffsetDateTime revokedAt) {
    }

    /** {@code prefix}: the key's first characters, kept to tell keys apart (docs/lists.md). */
    public long create(long accountId, String keyHash, String secretHash, boolean sandbox, String prefix) {
        return jdbc.inTransaction(c -> Jdbc.insert(c,
                "INSERT INTO api_key (account_id, key_hash, secret_hash, sandbox, created_at, key_prefix) VALUES (?, ?, ?, ?, ?, ?)",
                accountId, keyHash, secretHash, sandbox, OffsetDateTime.now(ZoneOffset.UTC), prefix));
    }

    /** The key, unless it is revoked or its account is disabled. */
    public Optional<StoredKey> findActive(String keyHash) {
        return jdbc.queryOne("SELECT k.* FROM api_key k JOIN account a ON a.id = k.account_id"
                + " WHERE k.key_hash = ? AND k.revoked_at IS NULL AND a.disabled_at IS NULL", ApiKeyRepository::map, keyHash);
    }

    /** Records that the key was used now (see {@link ApiKeyCache}: once per cache load, not per request). */
    public void touch(long keyId) {
        jdbc.withConnection(c -> Jdbc.update(c, "UPDATE api_key SET last_used_at = ? WHERE id = ?",
                OffsetDateTime.now(ZoneOffset.UTC), keyId));
    }

    /** The account's keys newest first, those with an id below {@code beforeId} (null: from the newest). */
    public List<KeyInfo> list(long accountId, Long beforeId, int limit) {
        return jdbc.query("SELECT id, key_prefix, sandbox, created_at, last_used_at, revoked_at FROM api_key"
                        + " WHERE account_id = ? AND id < ? ORDER BY id DESC FETCH FIRST " + limit + " ROWS ONLY",
                rs -> new KeyInfo(rs.getLong("id"), rs.getString("key_prefix"), rs.getBoolean("sandbox"),
                        Jdbc.timestamp(rs, "created_at"), Jdbc.timestamp(rs, "last_used_at"), Jdbc.timestamp(rs, "revoked_at")),
                accountId, beforeId == null ? Long.MAX_VALUE : beforeId);
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
