package io.herald.edge;

import io.herald.api.ApiError;
import io.herald.api.Json;
import io.herald.security.Principal;
import io.herald.store.Jdbc;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The request rate each API key may use: the account's override or {@code herald.rate-limit.requests-per-second}.
 * The limit itself is enforced per key by the routes' {@code throttle} EIP, which reads {@link #LIMIT}.
 */
public class RateLimits {
    public static final String LIMIT = "heraldRateLimit";
    public static final String KEY = "heraldRateKey";

    private final Jdbc jdbc;
    private final int defaultPerSecond;

    public RateLimits(Jdbc jdbc, int defaultPerSecond) {
        this.jdbc = jdbc;
        this.defaultPerSecond = defaultPerSecond;
    }

    public void resolve(Exchange exchange) {
        Principal principal = exchange.getProperty(Principal.PROPERTY, Principal.class);
        Integer override = jdbc.queryOne("SELECT rate_limit FROM account WHERE id = ?", rs -> (Integer) rs.getObject(1),
                principal.accountId()).orElse(null);
        exchange.setProperty(LIMIT, override != null ? override : defaultPerSecond);
        exchange.setProperty(KEY, principal.keyId());
    }

    /** Operator API: {@code PUT /admin/accounts/{id}/rate-limit {"requestsPerSecond": n|null}}. */
    public Map<String, Object> setOverride(Exchange exchange, @Header("accountId") String accountId) {
        Long requested = Json.integer(Json.requestObject(exchange), "requestsPerSecond");
        if (requested != null && (requested < 1 || requested > 1_000_000)) {
            throw ApiError.INVALID_FIELD.exception("requestsPerSecond must be between 1 and 1000000");
        }
        long id;
        try {
            id = Long.parseLong(accountId);
        } catch (NumberFormatException e) {
            throw ApiError.NOT_FOUND.exception("Account not found");
        }
        if (jdbc.update("UPDATE account SET rate_limit = ? WHERE id = ?", requested == null ? null : requested.intValue(), id) == 0) {
            throw ApiError.NOT_FOUND.exception("Account not found");
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", id);
        answer.put("requestsPerSecond", requested == null ? defaultPerSecond : requested);
        answer.put("override", requested != null);
        return answer;
    }
}
