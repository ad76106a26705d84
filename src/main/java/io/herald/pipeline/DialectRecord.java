package io.herald.pipeline;

import io.herald.store.Batch;

import java.util.List;

/**
 * What a dialect keeps with each message it had accepted (COSMOS: the price it answered and the callback URL), stored
 * in the batch (the transaction) that stores the messages: a message is never there without it, also after a crash.
 * Registered with {@link MessageStore#register} under the dialect's name.
 */
@FunctionalInterface
public interface DialectRecord {
    void store(Batch batch, List<Accepted> messages);

    /** A message just stored and the recipient it was made for. */
    record Accepted(String messageId, Recipient recipient) {
    }
}
