package io.herald.console;

import io.herald.security.Secrets;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's sessions, held on the server: the browser's cookie carries only a random session id (256 bits),
 * never the operator token or the API key, which stay here, in memory, to call the API on the session's behalf. A
 * session ends when signed out, after {@code herald.console.session-idle} without a request, or with the process (the
 * console then asks to sign in again). The map is looked up by the SHA-256 of the id, so even a heap dump does not hand
 * out cookie values.
 */
public class ConsoleSessions {
    /** Who signed in: the operator (admin token) or a tenant (API key). */
    public enum Kind { OPERATOR, TENANT }

    /** One signed-in browser. {@code credential} is what the API wants in Authorization; {@code csrf} guards writes. */
    public record Session(Kind kind, String credential, String csrf, Long accountId, Long keyId, boolean sandbox,
                          Instant lastSeen) {
        Session touched(Instant now) {
            return new Session(kind, credential, csrf, accountId, keyId, sandbox, now);
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_SESSIONS = 10_000;

    private final Map<String, Session> byHash = new ConcurrentHashMap<>();
    private final Duration idle;
    private final Clock clock;

    public ConsoleSessions(Duration idle, Clock clock) {
        this.idle = idle;
        this.clock = clock;
    }

    /** Starts a session; answers the id for the cookie. */
    public String open(Kind kind, String credential, Long accountId, Long keyId, boolean sandbox) {
        Instant now = clock.instant();
        if (byHash.size() >= MAX_SESSIONS) {
            byHash.values().removeIf(s -> expired(s, now));
        }
        String id = randomToken();
        byHash.put(Secrets.sha256(id), new Session(kind, credential, randomToken(), accountId, keyId, sandbox, now));
        return id;
    }

    /** The live session of this cookie value, its idle time restarted; empty when unknown or expired. */
    public Optional<Session> find(String id) {
        if (id == null || id.isEmpty() || id.length() > 100) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        String hash = Secrets.sha256(id);
        Session s = byHash.computeIfPresent(hash, (k, v) -> expired(v, now) ? null : v.touched(now));
        return Optional.ofNullable(s);
    }

    public void close(String id) {
        if (id != null) {
            byHash.remove(Secrets.sha256(id));
        }
    }

    private boolean expired(Session s, Instant now) {
        return s.lastSeen().plus(idle).isBefore(now);
    }

    private static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
