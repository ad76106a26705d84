package io.herald.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.camel.Exchange;
import io.herald.edge.BodyLimits;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The error object (docs/contract.md#errors-and-edge-rules) shared by CO-SENDER, the Messaging API and the operator
 * API: {@code {"type","code","status","timestamp","error","message"}}.
 */
public final class ErrorObject {
    public static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    private static final Logger LOG = LoggerFactory.getLogger(ErrorObject.class);

    private ErrorObject() {
    }

    /** Renders the exception that stopped the exchange as the answer. Used by the routes' onException blocks. */
    public static void render(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ApiException failure = classify(cause);
        if (failure.error() == ApiError.INTERNAL) {
            LOG.error("Internal error answering {} {}", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    exchange.getMessage().getHeader(Exchange.HTTP_PATH), cause);
        }
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        int status = failure instanceof BodyLimits.TooLargeException ? 413 : failure.error().status();
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        if (failure.error() == ApiError.TOO_MANY_REQUESTS) {
            out.setHeader("Retry-After", exchange.getProperty("heraldRetryAfter", "1", String.class));
        }
        out.setBody(Json.write(body(failure.error(), status, failure.getMessage())));
    }

    public static Map<String, Object> body(ApiError error, String message) {
        return body(error, error.status(), message);
    }

    /** The error object with an HTTP status other than the code's own (405 for a wrong method, 413 for a large body). */
    public static Map<String, Object> body(ApiError error, int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", status >= 500 ? "SYSTEM" : "CLIENT");
        body.put("code", error.code());
        body.put("status", status);
        body.put("timestamp", TIMESTAMP.format(ZonedDateTime.now(ZoneOffset.UTC)));
        body.put("error", reason(status));
        body.put("message", message);
        return body;
    }

    static ApiException classify(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ApiException api) {
                return api;
            }
            if (t instanceof JsonProcessingException) {
                return ApiError.GENERAL.exception("Malformed JSON request body");
            }
        }
        return ApiError.INTERNAL.exception();
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Payload Too Large";
            case 429 -> "Too Many Requests";
            default -> "Internal Server Error";
        };
    }
}
