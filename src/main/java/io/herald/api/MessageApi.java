package io.herald.api;

import io.herald.retention.Retention;
import io.herald.security.Principal;
import io.herald.sms.GsmAlphabet;
import io.herald.store.Channel;
import io.herald.store.MessageEvent;
import io.herald.store.MessageRepository;
import io.herald.store.StoredMessage;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/messages/{messageId}}: a message of the caller's account with its full status history; an SMS also
 * with its {@code encoding} (GSM-7 or UCS-2) and the number of {@code segments} it is sent in.
 * <p>
 * While it is kept, {@code content} holds what was rendered ({@code from}, and for email {@code replyTo},
 * {@code subject}, {@code html}; {@code text}).
 * <p>
 * A message whose content retention erased ({@link Retention}) answers the same without {@code recipient}, {@code content} and
 * its events' {@code detail}, and with {@code contentErasedAt}; an SMS keeps its encoding and segments.
 */
public class MessageApi {
    private final MessageRepository messages;

    public MessageApi(MessageRepository messages) {
        this.messages = messages;
    }

    public Map<String, Object> get(@Header("messageId") String messageId, @ExchangeProperty(Principal.PROPERTY) Principal principal) {
        StoredMessage message = messages.find(principal.accountId(), messageId)
                .orElseThrow(() -> ApiError.NOT_FOUND.exception("Message not found"));
        // only an erased message has no recipient: the one look at what retention kept is for those
        Retention.Erased erased = message.recipient() != null ? null
                : Retention.erased(messages.jdbc(), message.id()).orElse(null);
        List<Map<String, Object>> events = messages.events(message.id()).stream().map(e -> event(e, erased == null)).toList();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("messageId", message.id());
        if (erased == null) {
            answer.put("recipient", message.recipient());
        }
        answer.put("channel", message.channel().name());
        if (message.channel() == Channel.SMS && erased == null) {
            GsmAlphabet.Segments segments = GsmAlphabet.segments(message.text() == null ? "" : message.text());
            answer.put("encoding", segments.encoding());
            answer.put("segments", segments.count());
        } else if (message.channel() == Channel.SMS && erased.smsEncoding() != null) {
            answer.put("encoding", erased.smsEncoding());
            answer.put("segments", erased.smsSegments());
        }
        answer.put("status", message.status().name());
        answer.put("dispatchId", message.dispatchId());
        if (erased != null) {
            answer.put("contentErasedAt", ErrorObject.TIMESTAMP.format(erased.at()));
        }
        if (erased == null) {
            answer.put("content", content(message));
        }
        answer.put("events", events);
        return answer;
    }

    /** The rendered content as stored (docs/lists.md): absent once retention erased it. */
    private static Map<String, Object> content(StoredMessage message) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("from", message.from());
        if (message.channel() == Channel.EMAIL) {
            content.put("replyTo", message.replyTo());
            content.put("subject", message.subject());
        }
        content.put("text", message.text());
        if (message.channel() == Channel.EMAIL) {
            content.put("html", message.html());
        }
        return content;
    }

    private static Map<String, Object> event(MessageEvent e, boolean withDetail) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", e.status().name());
        m.put("at", ErrorObject.TIMESTAMP.format(e.at()));
        if (withDetail) {
            m.put("detail", e.detail());
        }
        return m;
    }
}
