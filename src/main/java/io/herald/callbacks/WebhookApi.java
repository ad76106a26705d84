package io.herald.callbacks;

import io.herald.api.RequestJson;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.api.ApiError;
import io.herald.security.Principal;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tenant's webhook ({@code /v1/webhook}): a URL that receives the delivery status of every message of the
 * account and a summary per dispatch, and the signing secret of all the account's callbacks (shown when created
 * and when rotated, never again).
 */
public class WebhookApi {
    private final WebhookRepository webhooks;
    private final CallbackAddressPolicy policy;

    public WebhookApi(WebhookRepository webhooks, CallbackAddressPolicy policy) {
        this.webhooks = webhooks;
        this.policy = policy;
    }

    public Map<String, Object> get(@ExchangeProperty(Principal.PROPERTY) Principal principal) {
        var webhook = webhooks.find(principal.accountId());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("url", webhook.map(WebhookRepository.Webhook::url).orElse(null));
        answer.put("signingSecretSet", webhook.isPresent());
        return answer;
    }

    public Map<String, Object> put(Exchange exchange, @ExchangeProperty(Principal.PROPERTY) Principal principal) {
        ObjectNode body = RequestJson.requestObject(exchange);
        String url = RequestJson.requiredText(body, "url").strip();
        String refusal = policy.refusal(url);
        if (refusal != null) {
            throw ApiError.INVALID_FIELD.exception("url " + refusal);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("url", url);
        webhooks.setUrl(principal.accountId(), url).ifPresent(secret -> answer.put("signingSecret", secret));
        return answer;
    }

    public void delete(Exchange exchange, @ExchangeProperty(Principal.PROPERTY) Principal principal) {
        if (!webhooks.clearUrl(principal.accountId())) {
            throw ApiError.NOT_FOUND.exception("No webhook is set");
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
        exchange.getMessage().setBody(null);
    }

    public Map<String, Object> rotateSecret(@ExchangeProperty(Principal.PROPERTY) Principal principal) {
        return Map.of("signingSecret", webhooks.rotateSecret(principal.accountId()));
    }
}
