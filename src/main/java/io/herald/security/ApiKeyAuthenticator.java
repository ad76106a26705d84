package io.herald.security;

import io.herald.api.ApiError;
import io.herald.observe.RequestLog;
import io.herald.store.ApiKeyCache;
import org.apache.camel.Exchange;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * HTTP Basic authentication of tenants: username {@code api}, password the API key
 * (docs/contract.md#accounts-keys-and-campaigns).
 */
public class ApiKeyAuthenticator {
    private static final String PREFIX = "basic ";
    private final ApiKeyCache keys;

    public ApiKeyAuthenticator(ApiKeyCache keys) {
        this.keys = keys;
    }

    /** Sets the {@link Principal} exchange property or fails with error 1002. */
    public void authenticate(Exchange exchange) {
        String header = exchange.getMessage().getHeader("Authorization", String.class);
        Principal principal = basicCredentials(header)
                .flatMap(this::byApiKey)
                .orElseThrow(() -> ApiError.UNAUTHORIZED.exception("No valid API key provided"));
        exchange.setProperty(Principal.PROPERTY, principal);
        RequestLog.identify(exchange, principal.accountId());
        exchange.getMessage().removeHeader("Authorization");
    }

    public Optional<Principal> byApiKey(String apiKey) {
        if (apiKey == null || apiKey.isEmpty() || apiKey.length() > 200) {
            return Optional.empty();
        }
        return keys.findActive(Secrets.sha256(apiKey)).map(k -> new Principal(k.accountId(), k.id(), k.sandbox()));
    }

    private static Optional<String> basicCredentials(String header) {
        if (header == null || header.length() <= PREFIX.length()
                || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(PREFIX.length()).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0 || !"api".equals(decoded.substring(0, colon))) {
            return Optional.empty();
        }
        return Optional.of(decoded.substring(colon + 1));
    }
}
