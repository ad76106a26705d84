package io.herald.api.cosmos;

import java.util.Locale;

/**
 * The COSMOS dialect's status words with their HTTP codes (docs/contract.md#cosmos-sms), and the three Herald adds for
 * the safety at the edge, which the dialect has no word for: {@code invalid_idempotency_key} (400),
 * {@code idempotency_conflict} (409), {@code too_many_requests} (429, with {@code Retry-After}); and {@code not_found}
 * (404) for a path no route serves.
 */
public enum CosmosStatus {
    OK(200),
    INVALID_TO(400),
    INVALID_FROM(400),
    INVALID_TEXT(400),
    INVALID_CALLBACK(400),
    INVALID_JSON(400),
    FAILED(400),
    SPAM(400),
    BLACKLIST(400),
    INVALID_IDEMPOTENCY_KEY(400),
    IDEMPOTENCY_CONFLICT(409),
    TOO_MANY_REQUESTS(429),
    UNAUTHORIZED(401),
    TIMEOUT(408),
    NOT_FOUND(404),
    LARGE_REQUEST(413),
    INTERNAL_ERROR(500);

    private final int httpStatus;

    CosmosStatus(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String body() {
        return "{\"status\":\"" + word() + "\"}";
    }

    /** The word for a request refused before any route ran: unknown path, body too large, undecodable, server fault. */
    public static CosmosStatus ofHttpFailure(int httpStatus) {
        return switch (httpStatus) {
            case 404 -> NOT_FOUND;
            case 413 -> LARGE_REQUEST;
            default -> httpStatus >= 500 ? INTERNAL_ERROR : INVALID_JSON;
        };
    }

    public CosmosException exception() {
        return new CosmosException(this);
    }
}
