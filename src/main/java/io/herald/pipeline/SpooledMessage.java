package io.herald.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.store.Channel;

import java.util.ArrayList;
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

    /**
     * The messages in request order, in runs of about {@code maxChars} characters of content at most (a message larger
     * than that is a run of its own): a batch of 500 messages rendered from a very large template becomes several spool
     * rows rather than one value of hundreds of megabytes.
     */
    static List<List<SpooledMessage>> runs(List<SpooledMessage> messages, long maxChars) {
        List<List<SpooledMessage>> runs = new ArrayList<>();
        List<SpooledMessage> run = new ArrayList<>();
        long size = 0;
        for (SpooledMessage m : messages) {
            long chars = m.chars();
            if (!run.isEmpty() && size + chars > maxChars) {
                runs.add(run);
                run = new ArrayList<>();
                size = 0;
            }
            run.add(m);
            size += chars;
        }
        if (!run.isEmpty()) {
            runs.add(run);
        }
        return runs;
    }

    /** About how many characters this message takes once written. */
    long chars() {
        long chars = 200; // field names and the recipient's identifiers
        for (String s : new String[] {address, from, replyTo, subject, html, text, unsubscribeUrl}) {
            chars += s == null ? 0 : s.length();
        }
        return chars;
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
