package io.herald.edge;

import io.herald.api.ApiError;
import io.herald.api.ApiException;
import org.apache.camel.Exchange;
import org.apache.camel.StreamCache;

/** Per-endpoint request body limits, checked on the raw bytes before anything parses them. */
public class BodyLimits {

    public void check(Exchange exchange, long maxBytes) {
        Long declared = exchange.getMessage().getHeader("Content-Length", Long.class);
        if (declared != null && declared > maxBytes) {
            throw tooLarge(maxBytes);
        }
        byte[] body = exchange.getMessage().getBody(byte[].class);
        if (body != null && body.length > maxBytes) {
            throw tooLarge(maxBytes);
        }
        exchange.getMessage().setBody(body);
    }

    /**
     * As {@link #check}, for an endpoint that streams its body (the Messaging API): a cached body is measured where
     * it is, not copied into one array; the body stays as it came.
     */
    public void checkStreamed(Exchange exchange, long maxBytes) {
        Long declared = exchange.getMessage().getHeader("Content-Length", Long.class);
        if (declared != null && declared > maxBytes) {
            throw tooLarge(maxBytes);
        }
        if (exchange.getMessage().getBody() instanceof StreamCache cache && cache.length() > 0) {
            if (cache.length() > maxBytes) {
                throw tooLarge(maxBytes);
            }
            return;
        }
        check(exchange, maxBytes);
    }

    private static ApiException tooLarge(long maxBytes) {
        return new TooLargeException("Request body is larger than " + maxBytes + " bytes");
    }

    /** Rendered as HTTP 413 with code 1001 in the error object. */
    public static class TooLargeException extends ApiException {
        public TooLargeException(String message) {
            super(ApiError.GENERAL, message);
        }
    }
}
