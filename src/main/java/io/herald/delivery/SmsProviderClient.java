package io.herald.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.api.Json;
import io.herald.security.WebhookToken;
import io.herald.sms.routing.SmsRouter;
import io.herald.sms.routing.Upstream;
import io.herald.status.StatusRecorder;
import io.herald.store.StoredMessage;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The client side of the COSMOS-style upstream SMS provider protocol (docs/contract.md#the-upstream-sms-provider): the
 * request, and what its answer means.
 */
public class SmsProviderClient {
    private final String callbackUrl;
    private final StatusRecorder statusRecorder;

    public SmsProviderClient(String publicUrl, WebhookToken webhookToken, StatusRecorder statusRecorder) {
        this.callbackUrl = webhookToken.callbackUrl(publicUrl.replaceAll("/+$", "") + "/callbacks/sms/dlr");
        this.statusRecorder = statusRecorder;
    }

    /** The request to the upstream of the attempt ({@link SmsRouter#UPSTREAM_CONFIG}), with its credentials. */
    public void request(@ExchangeProperty(DeliveryLoader.MESSAGE) StoredMessage message,
                        @ExchangeProperty(SmsRouter.UPSTREAM_CONFIG) Upstream upstream, Exchange exchange) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("api_key", upstream.apiKey() == null ? "" : upstream.apiKey());
        body.put("api_secret", upstream.apiSecret() == null ? "" : upstream.apiSecret());
        body.put("to", message.recipient().startsWith("+") ? message.recipient().substring(1) : message.recipient());
        body.put("from", message.from());
        body.put("text", message.text());
        body.put("callback", callbackUrl);
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_METHOD, "POST");
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setBody(Json.write(body));
    }

    /** 200 with status ok ⇒ SENT; 408, 429 and 5xx ⇒ transient; any other answer ⇒ permanent. */
    public void interpret(Exchange exchange, @ExchangeProperty(DeliveryLoader.MESSAGE) StoredMessage message,
                          @ExchangeProperty(SmsRouter.UPSTREAM) String upstream) {
        int code = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String body = exchange.getMessage().getBody(String.class);
        if (code == 408 || code == 429 || code >= 500) {
            throw new TransientDeliveryException("SMS provider answered HTTP " + code);
        }
        JsonNode answer = parse(body);
        String status = answer == null ? null : answer.path("status").asText(null);
        if (code != 200 || !"ok".equals(status)) {
            throw new PermanentDeliveryException("SMS provider answered HTTP " + code + (status == null ? "" : " " + status));
        }
        String providerId = answer.path("message_id").asText(null);
        if (providerId == null || providerId.isBlank()) {
            throw new PermanentDeliveryException("SMS provider answered ok without a message_id");
        }
        statusRecorder.sent(message, providerId, "accepted by SMS provider as " + providerId, upstream);
    }

    private static JsonNode parse(String body) {
        try {
            return body == null ? null : Json.MAPPER.readTree(body);
        } catch (Exception e) {
            return null;
        }
    }
}
