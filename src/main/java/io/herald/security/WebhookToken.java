package io.herald.security;

import io.herald.status.MessageMetrics;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The SMS provider's credential on Herald's provider webhooks, {@code /callbacks/sms/dlr} and
 * {@code /callbacks/sms/inbound} (docs/contract.md#the-upstream-sms-provider):
 * {@code herald.sms.provider.webhook-token}, presented as {@code ?token=} in the URL (the form Herald puts in the
 * delivery-report URL it gives the provider) or as {@code Authorization: Bearer <token>}. Only the query string and the
 * Authorization header count: a {@code token} header, form field or body field is not a credential. Without a token set
 * the webhooks are open, which {@link io.herald.bootstrap.StartupGuard} allows only outside the prod profile.
 */
public class WebhookToken {
    private final String token;
    private final MessageMetrics metrics;

    /** {@code token} null: the webhooks take any request. */
    public WebhookToken(String token, MessageMetrics metrics) {
        this.token = token;
        this.metrics = metrics;
    }

    /** Passes a request that presents the token; any other is counted per endpoint and refused. */
    public void authenticate(Exchange exchange, String endpoint) {
        if (token == null) {
            return;
        }
        Message in = exchange.getMessage();
        // both forms are compared every time (no short circuit), so the answer takes as long whichever is used
        boolean presented = Secrets.constantTimeEquals(token, fromQuery(in.getHeader(Exchange.HTTP_RAW_QUERY, String.class)))
                | Secrets.constantTimeEquals(token, Secrets.bearer(in.getHeader("Authorization", String.class)));
        in.removeHeader("Authorization");
        if (!presented) {
            metrics.webhookRejected(endpoint);
            throw new RejectedException();
        }
    }

    /** The delivery-report URL given to the provider in each request: with {@code ?token=} when a token is set. */
    public String callbackUrl(String url) {
        return token == null ? url : url + (url.contains("?") ? "&" : "?") + "token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    /** The one {@code token} parameter of the raw query string; none, or more than one, presents nothing. */
    private static String fromQuery(String rawQuery) {
        String found = null;
        for (String parameter : rawQuery == null ? new String[0] : rawQuery.split("&")) {
            if (parameter.startsWith("token=")) {
                if (found != null) {
                    return null;
                }
                found = parameter.substring(6);
            }
        }
        try {
            return found == null ? null : URLDecoder.decode(found, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException undecodable) {
            return null;
        }
    }

    /** Answered 401 {@code {"status":"unauthorized"}} by the provider-webhook-errors route configuration (routes/errors.camel.yaml). */
    public static class RejectedException extends RuntimeException {
        public RejectedException() {
            super("a valid webhook token is required, as ?token=<token> in the URL or as Authorization: Bearer <token>");
        }
    }
}
