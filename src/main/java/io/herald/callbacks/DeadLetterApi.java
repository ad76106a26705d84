package io.herald.callbacks;

import io.herald.api.ApiError;
import io.herald.api.ErrorObject;
import io.herald.callbacks.CallbackRepository.DeadLetter;
import io.herald.security.Principal;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Callbacks that were given up: the operator's API ({@code /admin/callbacks/dead-letters}: every account's) and the
 * tenant's ({@code /v1/callbacks/dead-letters}: its own account's; another account's is 404): list them, replay one.
 */
public class DeadLetterApi {
    public static final String REPLAYED_CALLBACK = "heraldReplayedCallbackId";

    private final CallbackRepository callbacks;

    public DeadLetterApi(CallbackRepository callbacks) {
        this.callbacks = callbacks;
    }

    public Map<String, Object> list() {
        return list(null);
    }

    public Map<String, Object> listOwn(@ExchangeProperty(Principal.PROPERTY) Principal principal) {
        return list(principal.accountId());
    }

    private Map<String, Object> list(Long accountId) {
        return Map.of("deadLetters", callbacks.deadLetters(accountId).stream().map(DeadLetterApi::view).toList());
    }

    /** The callback a replay just put back to PENDING, for the route to queue ({@link #REPLAYED_CALLBACK}). */
    public static List<Long> replayed(Exchange exchange) {
        return List.of(exchange.getProperty(REPLAYED_CALLBACK, Long.class));
    }

    /** Puts the callback back to PENDING with a fresh retry period; the route then queues it. */
    public Map<String, Object> replay(Exchange exchange, @Header("deadLetterId") String deadLetterId) {
        return replay(exchange, deadLetterId, null);
    }

    /** A tenant's replay: only a dead letter of its own account. */
    public Map<String, Object> replayOwn(Exchange exchange, @Header("deadLetterId") String deadLetterId,
                                         @ExchangeProperty(Principal.PROPERTY) Principal principal) {
        return replay(exchange, deadLetterId, principal.accountId());
    }

    private Map<String, Object> replay(Exchange exchange, String deadLetterId, Long accountId) {
        long id;
        try {
            id = Long.parseLong(deadLetterId);
        } catch (NumberFormatException e) {
            throw ApiError.NOT_FOUND.exception("Dead letter not found");
        }
        long callbackId = callbacks.replay(id, accountId)
                .orElseThrow(() -> ApiError.NOT_FOUND.exception("Dead letter not found or already replayed"));
        exchange.setProperty(REPLAYED_CALLBACK, callbackId);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", id);
        answer.put("callbackId", callbackId);
        answer.put("status", CallbackRepository.PENDING);
        return answer;
    }

    private static Map<String, Object> view(DeadLetter d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("callbackId", d.callback().id());
        m.put("accountId", d.callback().accountId());
        m.put("messageId", d.callback().messageId());
        m.put("dispatchId", d.callback().dispatchId());
        m.put("event", d.callback().event());
        m.put("url", d.callback().url());
        m.put("body", d.callback().body());
        m.put("attempts", d.attempts());
        m.put("firstAttemptAt", d.callback().firstAttemptAt() == null ? null : ErrorObject.TIMESTAMP.format(d.callback().firstAttemptAt()));
        m.put("parkedAt", ErrorObject.TIMESTAMP.format(d.parkedAt()));
        m.put("lastError", d.lastError());
        return m;
    }
}
