package io.herald.edge;

import io.herald.api.RequestJson;
import io.herald.api.ApiError;
import io.herald.security.Principal;
import io.herald.store.AccountCache;
import io.herald.store.Jdbc;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The request rate each API key may use: the account's override or {@code herald.rate-limit.requests-per-second},
 * enforced by a token bucket per key ({@link TokenBuckets}). Over it, error 1004 (429; COSMOS {@code too_many_requests}).
 */
public class RateLimits {
    private final Jdbc jdbc;
    private final AccountCache accounts;
    private final TokenBuckets buckets = new TokenBuckets();
    private final int defaultPerSecond;

    public RateLimits(Jdbc jdbc, AccountCache accounts, int defaultPerSecond) {
        this.jdbc = jdbc;
        this.accounts = accounts;
        this.defaultPerSecond = defaultPerSecond;
    }

    /** Lets the authenticated key's request through, or refuses it with 1004 when the key's bucket is empty. */
    public void admit(Exchange exchange) {
        Principal principal = exchange.getProperty(Principal.PROPERTY, Principal.class);
        Integer override = accounts.find(principal.accountId()).map(AccountCache.EdgeAccount::rateLimit).orElse(null);
        if (!buckets.tryTake(principal.keyId(), override != null ? override : defaultPerSecond)) {
            throw ApiError.TOO_MANY_REQUESTS.exception("Too many requests for this API key; retry after a second");
        }
    }

    /** Operator API: {@code PUT /admin/accounts/{id}/rate-limit {"requestsPerSecond": n|null}}. */
    public Map<String, Object> setOverride(Exchange exchange, @Header("accountId") String accountId) {
        Long requested = RequestJson.integer(RequestJson.requestObject(exchange), "requestsPerSecond");
        if (requested != null && (requested < 1 || requested > 1_000_000)) {
            throw ApiError.INVALID_FIELD.exception("requestsPerSecond must be between 1 and 1000000");
        }
        long id;
        try {
            id = Long.parseLong(accountId);
        } catch (NumberFormatException e) {
            throw ApiError.NOT_FOUND.exception("Account not found");
        }
        int updated = jdbc.update("UPDATE account SET rate_limit = ? WHERE id = ?", requested == null ? null : requested.intValue(), id);
        accounts.forget(id);
        if (updated == 0) {
            throw ApiError.NOT_FOUND.exception("Account not found");
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", id);
        answer.put("requestsPerSecond", requested == null ? defaultPerSecond : requested);
        answer.put("override", requested != null);
        return answer;
    }
}
