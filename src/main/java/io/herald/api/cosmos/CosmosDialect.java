package io.herald.api.cosmos;

import io.herald.api.RequestJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.herald.api.ApiError;
import io.herald.api.ApiException;
import io.herald.callbacks.CallbackAddressPolicy;
import io.herald.edge.BodyLimits;
import io.herald.edge.IdempotencyGuard;
import io.herald.pipeline.AcceptResult;
import io.herald.pipeline.Recipient;
import io.herald.pipeline.RecipientValidator;
import io.herald.pipeline.SendRequest;
import io.herald.security.Principal;
import io.herald.security.Secrets;
import io.herald.sms.GsmAlphabet;
import io.herald.sms.PriceList;
import io.herald.sms.RecipientScreen;
import io.herald.sms.SmsNumbers;
import io.herald.store.ApiKeyCache;
import io.herald.store.ApiKeyRepository.StoredKey;
import io.herald.store.StorableText;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * COSMOS {@code POST /v1.0/sms/}: the request checked in the settled order (docs/contract.md#cosmos-sms), each failure
 * with its status word, then mapped to the canonical {@link SendRequest} (one SMS recipient, content inline); the
 * canonical result mapped back to {@code {"status":"ok","message_id","price"}}. Blacklist, inactive number and content
 * rules are checked by the shared pipeline; their rejections come back here as {@code blacklist}, {@code failed},
 * {@code spam}.
 */
public class CosmosDialect {
    public static final String NAME = "COSMOS";
    public static final int MAX_BODY_BYTES = 4096;
    static final String PRICE = "heraldCosmosPrice";
    static final String REQUEST = "heraldCosmosRequest";
    private static final int MAX_FROM = 16;
    private static final int MAX_CREDENTIAL = 200;
    /** Compared against when the API key is unknown, so that an unknown key takes as long as a wrong secret. */
    private static final String NO_SECRET = Secrets.sha256("no such key");
    private static final Logger LOG = LoggerFactory.getLogger(CosmosDialect.class);

    private final ApiKeyCache keys;
    private final CosmosCampaigns campaigns;
    private final PriceList prices;
    private final CallbackAddressPolicy callbackPolicy;

    public CosmosDialect(ApiKeyCache keys, CosmosCampaigns campaigns, PriceList prices, CallbackAddressPolicy callbackPolicy) {
        this.keys = keys;
        this.campaigns = campaigns;
        this.prices = prices;
        this.callbackPolicy = callbackPolicy;
    }

    /**
     * The checks before the edge (rate limit, idempotency key) can run: the body is JSON ({@code invalid_json}) and its
     * credentials name an active key ({@code unauthorized}). Sets the {@link Principal}; the body stays the raw bytes.
     * The body limit ({@code large_request}) is checked before, by the route's {@code bodyLimits}.
     */
    public void authenticate(Exchange exchange) {
        JsonNode body = parse(exchange);
        Principal principal = authenticate(text(body, "api_key"), text(body, "api_secret"));
        exchange.setProperty(Principal.PROPERTY, principal);
        io.herald.observe.RequestLog.identify(exchange, principal.accountId());
        exchange.setProperty(REQUEST, body);
    }

    /** The remaining checks in the settled order, then the canonical request. Runs after {@link #authenticate}. */
    public SendRequest toSendRequest(Exchange exchange) {
        JsonNode body = exchange.getProperty(REQUEST, JsonNode.class);
        Principal principal = exchange.getProperty(Principal.PROPERTY, Principal.class);

        String to = text(body, "to");
        if (!SmsNumbers.isCosmosVirtual(to)) {
            throw CosmosStatus.INVALID_TO.exception();
        }
        String from = text(body, "from");
        if (!isSenderName(from)) {
            throw CosmosStatus.INVALID_FROM.exception();
        }
        String text = text(body, "text");
        if (!GsmAlphabet.fitsCosmosLimit(text) || !StorableText.storable(text)) {
            throw CosmosStatus.INVALID_TEXT.exception();
        }
        String callback = null;
        JsonNode callbackNode = body.get("callback");
        if (callbackNode != null && !callbackNode.isNull()) {
            if (!callbackNode.isTextual() || callbackPolicy.refusal(callbackNode.asText()) != null) {
                throw CosmosStatus.INVALID_CALLBACK.exception();
            }
            callback = callbackNode.asText();
        }
        exchange.setProperty(RecipientValidator.VERBATIM_ADDRESS, true);
        exchange.setProperty(PRICE, prices.priceOf(to));
        Recipient recipient = new Recipient(to, null, null, null, null, Map.of(), callback);
        return new SendRequest(principal, NAME, null, null, campaigns.inline(principal.accountId(), from, text), null,
                List.of(recipient));
    }

    /** {@code ok} with the message id and price, or the status word of the pipeline's rejection. */
    public Map<String, Object> toResponse(AcceptResult result, @ExchangeProperty(PRICE) BigDecimal price) {
        AcceptResult.Entry entry = result.entries().get(0);
        if (entry.status() == AcceptResult.Status.ERROR) {
            throw rejection(entry).exception();
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", CosmosStatus.OK.word());
        answer.put("message_id", entry.messageId());
        answer.put("price", PriceList.asJson(price));
        return answer;
    }

    /** The error answer of the cosmos-api route configuration: {@code {"status": word}} with the word's HTTP code. */
    public static void renderError(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        CosmosStatus status = classify(cause);
        if (status == CosmosStatus.INTERNAL_ERROR) {
            LOG.error("Internal error answering a COSMOS request", cause);
        }
        render(exchange, status);
    }

    static void render(Exchange exchange, CosmosStatus status) {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status.httpStatus());
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        if (status == CosmosStatus.TOO_MANY_REQUESTS) {
            out.setHeader("Retry-After", exchange.getProperty("heraldRetryAfter", "1", String.class));
        }
        out.setBody(status.body());
    }

    static CosmosStatus classify(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof CosmosException cosmos) {
                return cosmos.status();
            }
            if (t instanceof ApiException api && api.error() == ApiError.MESSAGE_LIMIT) {
                return CosmosStatus.FAILED;
            }
            if (t instanceof BodyLimits.TooLargeException) {
                return CosmosStatus.LARGE_REQUEST;
            }
            if (t instanceof IdempotencyGuard.InvalidKeyException) {
                return CosmosStatus.INVALID_IDEMPOTENCY_KEY;
            }
            if (t instanceof ApiException api && api.error() == ApiError.IDEMPOTENCY_CONFLICT) {
                return CosmosStatus.IDEMPOTENCY_CONFLICT;
            }
            if (t instanceof ApiException api && api.error() == ApiError.TOO_MANY_REQUESTS) {
                return CosmosStatus.TOO_MANY_REQUESTS;
            }
            if (t instanceof JsonProcessingException) {
                return CosmosStatus.INVALID_JSON;
            }
        }
        return CosmosStatus.INTERNAL_ERROR;
    }

    private static CosmosStatus rejection(AcceptResult.Entry entry) {
        if (RecipientScreen.BLACKLISTED.equals(entry.message())) {
            return CosmosStatus.BLACKLIST;
        }
        if (RecipientScreen.SPAM.equals(entry.message())) {
            return CosmosStatus.SPAM;
        }
        return CosmosStatus.FAILED; // inactive number, account message limit
    }

    /**
     * The shared JSON reading (Content-Type {@code application/json}, strict UTF-8, one JSON object, nesting and number
     * limits); any refusal of it is {@code invalid_json}.
     */
    private static JsonNode parse(Exchange exchange) {
        try {
            return RequestJson.requestObject(exchange);
        } catch (ApiException e) {
            throw CosmosStatus.INVALID_JSON.exception();
        }
    }

    private Principal authenticate(String apiKey, String apiSecret) {
        if (apiKey == null || apiSecret == null || apiKey.isEmpty() || apiKey.length() > MAX_CREDENTIAL
                || apiSecret.length() > MAX_CREDENTIAL) {
            throw CosmosStatus.UNAUTHORIZED.exception();
        }
        Optional<StoredKey> key = keys.findActive(Secrets.sha256(apiKey));
        boolean secretMatches = Secrets.constantTimeEquals(key.map(StoredKey::secretHash).orElse(NO_SECRET),
                Secrets.sha256(apiSecret));
        if (key.isEmpty() || !secretMatches) {
            throw CosmosStatus.UNAUTHORIZED.exception();
        }
        return new Principal(key.get().accountId(), key.get().id(), key.get().sandbox());
    }

    /** 1–16 printable characters: no control, format, separator-line, surrogate or unassigned code points, not blank (any space). */
    static boolean isSenderName(String from) {
        if (from == null || from.codePoints().allMatch(cp -> Character.isWhitespace(cp) || Character.isSpaceChar(cp))) {
            return false; // blank also when made only of no-break spaces (U+00A0, U+2007, U+202F), which isBlank lets pass
        }
        int count = from.codePointCount(0, from.length());
        return count <= MAX_FROM && from.codePoints().allMatch(CosmosDialect::isPrintable);
    }

    private static boolean isPrintable(int cp) {
        int type = Character.getType(cp);
        return type != Character.CONTROL && type != Character.FORMAT && type != Character.UNASSIGNED
                && type != Character.SURROGATE && type != Character.PRIVATE_USE && type != Character.LINE_SEPARATOR
                && type != Character.PARAGRAPH_SEPARATOR;
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
