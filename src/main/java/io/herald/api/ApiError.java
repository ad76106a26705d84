package io.herald.api;

/** Herald's error codes (docs/contract.md#errors-and-edge-rules), each with its HTTP status and default message. */
public enum ApiError {
    INTERNAL(1000, 500, "Internal system error"),
    GENERAL(1001, 400, "General error"),
    UNAUTHORIZED(1002, 401, "Unauthorized"),
    NOT_FOUND(1003, 404, "Not found"),
    TOO_MANY_REQUESTS(1004, 429, "Too many requests"),
    IDEMPOTENCY_CONFLICT(1005, 409, "Idempotency key reused with a different request"),
    INVALID_FIELD(2001, 400, "Invalid or missing field"),
    TOO_MANY_MESSAGES(2002, 400, "No more than 10 messages are allowed in one request"),
    INVALID_PHONE(2003, 400, "Invalid recipient phone number"),
    INVALID_EMAIL(2004, 400, "Invalid recipient email"),
    UNKNOWN_CAMPAIGN(2005, 404, "Campaign not found"),
    CAMPAIGN_INACTIVE(2101, 400, "Campaign is inactive"),
    MESSAGE_LIMIT(2102, 400, "Account message limit is reached");

    private final int code;
    private final int status;
    private final String message;

    ApiError(int code, int status, String message) {
        this.code = code;
        this.status = status;
        this.message = message;
    }

    public int code() {
        return code;
    }

    public int status() {
        return status;
    }

    public String message() {
        return message;
    }

    public static ApiError ofCode(int code) {
        for (ApiError e : values()) {
            if (e.code == code) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown error code " + code);
    }

    public ApiException exception() {
        return new ApiException(this, message);
    }

    public ApiException exception(String detail) {
        return new ApiException(this, detail);
    }

        /** A field of the wrong JSON type: error 1001. */
        public static ApiException wrongType(String field, String expected) {
            return GENERAL.exception(field + " must be " + expected);
        }
    }
    