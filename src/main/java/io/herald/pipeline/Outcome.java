package io.herald.pipeline;

import io.herald.store.Channel;

import java.util.SortedSet;

/** What the pipeline made of one recipient so far: addressed, rendered and ready to store, or rejected. */
public sealed interface Outcome {
    Recipient recipient();

    /** Rendered content, addressed; {@code missing} lists placeholders that had no value. */
    record Draft(Recipient recipient, Channel channel, String address, String from, String replyTo, String subject,
                 String html, String text, String unsubscribeUrl, SortedSet<String> missing) implements Outcome {
    }

    /** Passed validation: {@code address} is the normalised email or the E.164 number. */
    record Addressed(Recipient recipient, String address) implements Outcome {
    }

    record Rejection(Recipient recipient, int code, String reason) implements Outcome {
    }
}
