package io.herald.security;

import io.herald.api.ApiError;
import org.apache.camel.Exchange;

/** Bearer-token authentication of the operator API ({@code herald.admin.token}). */
public class AdminAuthenticator {
    private final String token;

    public AdminAuthenticator(String token) {
        this.token = token;
    }

    public void authenticate(Exchange exchange) {
        String presented = Secrets.bearer(exchange.getMessage().getHeader("Authorization", String.class));
        if (token == null || token.isBlank() || !Secrets.constantTimeEquals(token, presented)) {
            throw ApiError.UNAUTHORIZED.exception("A valid operator bearer token is required");
        }
        exchange.getMessage().removeHeader("Authorization");
    }
}
