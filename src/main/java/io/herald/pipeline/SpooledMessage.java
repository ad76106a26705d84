package io.herald.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.store.Channel;

import java.util.List;

/**
 * An accepted message before it has an id: rendered and addressed, with its recipient (without personalisation
 * values). The messages of a tracked dispatch are spooled as a JSON array of these (see {@link MessageStore}).
 */
public record SpooledMessage(Recipient recipient, Channel channel, String address, String from, String replyTo,
                             String subject, String html, String text, String unsubscribeUrl) {
    private static final ObjectMapper JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
    private static final TypeReference<List<SpooledMessage>> LIST = new TypeReference<>() {
    };

    static SpooledMessage of(Outcome.Draft draft, Recipient recipient) {
        return new SpooledMessage(recipient, draft.channel(), draft.address(), draft.from(), draft.replyTo(), draft.subject(),
                draft.html(), draft.text(), draft.unsubscribeUrl());
    }

    static String write(List<SpooledMessage> messages) {
        try {
            return JSON.writeValueAsString(messages);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not spool messages", e);
        }
    }

    static List<SpooledMessage> read(String content) {
        try {
            return JSON.readValue(content, LIST);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable spooled messages", e);
        }
    }
}
