package io.herald.callbacks;

import io.herald.security.Secrets;
import io.herald.store.Jdbc;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Accounts' webhook URLs and callback signing secrets. The secret is the HMAC key of every callback of the account;
 * it must be kept in clear to sign, so it is a key of its own (never the API secret, which is stored only hashed).
 */
public class WebhookRepository {
    public record Webhook(long accountId, String url, String signingSecret) {
    }

    private final Jdbc jdbc;

    public WebhookRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Webhook> find(long accountId) {
        return jdbc.queryOne("SELECT * FROM account_webhook WHERE account_id = ?",
                rs -> new Webhook(rs.getLong("account_id"), rs.getString("url"), rs.getString("signing_secret")), accountId);
    }

    public Optional<String> url(long accountId) {
        return find(accountId).map(Webhook::url);
    }

    /** Sets the URL; answers the signing secret when this created it (shown once), else empty. */
    public Optional<String> setUrl(long accountId, String url) {
        if (jdbc.update("UPDATE account_webhook SET url = ?, updated_at = ? WHERE account_id = ?", url, now(), accountId) == 1) {
            return Optional.empty();
        }
        String secret = newSecret();
        if (insert(accountId, url, secret)) {
            return Optional.of(secret);
        }
        jdbc.update("UPDATE account_webhook SET url = ?, updated_at = ? WHERE account_id = ?", url, now(), accountId);
        return Optional.empty();
    }

    public boolean clearUrl(long accountId) {
        return jdbc.update("UPDATE account_webhook SET url = NULL, updated_at = ? WHERE account_id = ? AND url IS NOT NULL",
                now(), accountId) == 1;
    }

    /** A new signing secret for the account (the previous one stops being used at once). */
    public String rotateSecret(long accountId) {
        String secret = newSecret();
        if (jdbc.update("UPDATE account_webhook SET signing_secret = ?, updated_at = ? WHERE account_id = ?", secret, now(),
                accountId) == 0 && !insert(accountId, null, secret)) {
            return rotateSecret(accountId);
        }
        return secret;
    }

    /** The account's signing secret, created (unseen until rotated) when a callback needs one before the tenant set any. */
    public String signingSecret(long accountId) {
        return find(accountId).map(Webhook::signingSecret).orElseGet(() -> {
            insert(accountId, null, newSecret());
            return find(accountId).orElseThrow().signingSecret();
        });
    }

    private boolean insert(long accountId, String url, String secret) {
        try {
            jdbc.update("INSERT INTO account_webhook (account_id, url, signing_secret, updated_at) VALUES (?, ?, ?, ?)",
                    accountId, url, secret, now());
            return true;
        } catch (io.herald.store.StoreException e) {
            if (e.getCause() instanceof java.sql.SQLException sql && "23505".equals(sql.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    private static String newSecret() {
        return "whsec_" + Secrets.base36(40);
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
