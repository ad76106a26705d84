package io.herald.edge;

import io.herald.api.RequestJson;
import io.herald.api.ApiError;
import io.herald.api.ApiException;
import io.herald.security.Principal;
import io.herald.security.Secrets;
import io.herald.store.Jdbc;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.StreamCache;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Optional;

/**
 * {@code Idempotency-Key} on sending POSTs (docs/contract.md#errors-and-edge-rules), scoped to the account: the same
 * key with the same request within the retention replays the first answer and sends nothing again, also while the first
 * call is still in progress (the replay waits for it) and across restarts (the record is in the database); the same key
 * with another request is a conflict. Answers of 5xx are not kept, so the client's retry runs again.
 */
public class IdempotencyGuard {
    public static final String HEADER = "Idempotency-Key";
    public static final String KEY = "heraldIdempotencyKey";
    public static final String REPLAY = "heraldReplay";

    private record Stored(String requestHash, Integer status, String contentType, String response, OffsetDateTime createdAt) {
    }

    private final Jdbc jdbc;
    private final Duration retention;
    private final Duration waitForFirst;

    public IdempotencyGuard(Jdbc jdbc, Duration retention, Duration waitForFirst) {
        this.jdbc = jdbc;
        this.retention = retention;
        this.waitForFirst = waitForFirst;
    }

    /** Whether this request is to be carried out: false when {@link #begin} prepared the replay of a first answer. */
    public static boolean firstTime(Exchange exchange) {
        return !exchange.getProperty(REPLAY, false, Boolean.class);
    }

    /**
     * Claims the key for this request, or prepares the replay of the first answer ({@link #REPLAY} = true). The request
     * is its path (a trailing slash, which the router ignores, is ignored here too) and its body.
     */
    public void begin(Exchange exchange) {
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, "", String.class);
        beginFor(exchange, path.replaceAll("(?<=.)/+$", ""));
    }

    /**
     * {@link #begin} for an endpoint reached under several paths ({@code /v1.0/sms/} and {@code /v1.0/sms}): the
     * request is identified by {@code endpoint} and the body instead of the request's own path.
     */
    public void beginFor(Exchange exchange, String endpoint) {
        String key = exchange.getMessage().getHeader(HEADER, String.class);
        if (key == null) {
            return;
        }
        if (key.isBlank() || key.length() > 255 || key.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
            throw new InvalidKeyException("Idempotency-Key must be 1-255 printable ASCII characters");
        }
        Principal principal = exchange.getProperty(Principal.PROPERTY, Principal.class);
        String hash = requestHash(endpoint, exchange);
        Instant deadline = Instant.now().plus(waitForFirst);
        while (true) {
            if (claim(principal.accountId(), key, hash)) {
                exchange.setProperty(KEY, key);
                return;
            }
            Optional<Stored> stored = find(principal.accountId(), key);
            if (stored.isEmpty()) {
                continue;
            }
            Stored first = stored.get();
            if (first.createdAt().isBefore(OffsetDateTime.now(ZoneOffset.UTC).minus(retention))) {
                jdbc.update("DELETE FROM idempotency_record WHERE account_id = ? AND idem_key = ? AND created_at = ?",
                        principal.accountId(), key, first.createdAt());
                continue;
            }
            if (!first.requestHash().equals(hash)) {
                throw ApiError.IDEMPOTENCY_CONFLICT.exception("Idempotency-Key was already used with a different request");
            }
            if (first.status() != null) {
                replay(exchange, first);
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw ApiError.IDEMPOTENCY_CONFLICT.exception("A request with this Idempotency-Key is still in progress");
            }
            pause();
        }
    }

    /** Keeps the answer of a claimed key; an answer of 5xx releases the key instead. */
    public void complete(Exchange exchange) {
        String key = exchange.getProperty(KEY, String.class);
        if (key == null || exchange.getProperty(REPLAY, false, Boolean.class)) {
            return;
        }
        exchange.removeProperty(KEY);
        Principal principal = exchange.getProperty(Principal.PROPERTY, Principal.class);
        Message message = exchange.getMessage();
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class);
        if (status >= 500) {
            jdbc.update("DELETE FROM idempotency_record WHERE account_id = ? AND idem_key = ?", principal.accountId(), key);
            return;
        }
        jdbc.update("UPDATE idempotency_record SET http_status = ?, content_type = ?, response = ?, completed_at = ?"
                        + " WHERE account_id = ? AND idem_key = ?", status, message.getHeader(Exchange.CONTENT_TYPE, String.class),
                message.getBody(String.class), OffsetDateTime.now(ZoneOffset.UTC), principal.accountId(), key);
    }

    public int purgeExpired() {
        return jdbc.update("DELETE FROM idempotency_record WHERE created_at < ?", OffsetDateTime.now(ZoneOffset.UTC).minus(retention));
    }

    private boolean claim(long accountId, String key, String hash) {
        try {
            return jdbc.withConnection(c -> Jdbc.update(c, "INSERT INTO idempotency_record (account_id, idem_key, request_hash,"
                    + " created_at) VALUES (?, ?, ?, ?)", accountId, key, hash, OffsetDateTime.now(ZoneOffset.UTC)) == 1);
        } catch (RuntimeException e) {
            if (e.getCause() instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("23")) {
                return false;
            }
            throw e;
        }
    }

    private Optional<Stored> find(long accountId, String key) {
        return jdbc.queryOne("SELECT request_hash, http_status, content_type, response, created_at FROM idempotency_record"
                        + " WHERE account_id = ? AND idem_key = ?",
                rs -> new Stored(rs.getString("request_hash"), (Integer) rs.getObject("http_status"),
                        rs.getString("content_type"), rs.getString("response"), Jdbc.timestamp(rs, "created_at")),
                accountId, key);
    }

    /**
     * SHA-256 of the endpoint and the body's bytes as they came, read where they are: a cached (streamed) body is
     * digested from its cache, never copied into one array or a string, so a large call costs no second copy.
     */
    static String requestHash(String endpoint, Exchange exchange) {
        MessageDigest digest = Secrets.sha256Digest();
        digest.update((endpoint + "\n").getBytes(StandardCharsets.UTF_8));
        Message message = exchange.getMessage();
        if (message.getBody() instanceof StreamCache cache) {
            cache.reset();
            try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
                cache.writeTo(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                cache.reset();
            }
        } else {
            byte[] raw = RequestJson.bodyBytes(exchange);
            if (raw != null) {
                digest.update(raw);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void replay(Exchange exchange, Stored first) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, first.status());
        if (first.contentType() != null) {
            message.setHeader(Exchange.CONTENT_TYPE, first.contentType());
        }
        message.setHeader("Idempotent-Replayed", "true");
        message.setBody(first.response());
        exchange.setProperty(REPLAY, true);
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An {@code Idempotency-Key} header that is not 1-255 printable ASCII characters (error 2001). */
    public static class InvalidKeyException extends ApiException {
        public InvalidKeyException(String message) {
            super(ApiError.INVALID_FIELD, message);
        }
    }
}
