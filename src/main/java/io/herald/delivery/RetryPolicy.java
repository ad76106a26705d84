package io.herald.delivery;

import io.herald.status.StatusRecorder;
import io.herald.store.MessageRepository;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * How long a transient delivery failure keeps being retried ({@code herald.retry.give-up-after}, counted from
 * the message's first attempt, which survives restarts), and the note each retry leaves in the message history.
 */
public class RetryPolicy implements Processor {
    private final Duration giveUpAfter;
    private final MessageRepository messages;

    public RetryPolicy(Duration giveUpAfter, MessageRepository messages) {
        this.giveUpAfter = giveUpAfter;
        this.messages = messages;
    }

    public boolean shouldRetry(Exchange exchange) {
        OffsetDateTime first = exchange.getProperty(DeliveryLoader.FIRST_ATTEMPT, OffsetDateTime.class);
        return first == null || OffsetDateTime.now(ZoneOffset.UTC).isBefore(first.plus(giveUpAfter));
    }

    /** Called before each redelivery. */
    @Override
    public void process(Exchange exchange) {
        String messageId = exchange.getProperty(StatusRecorder.MESSAGE_ID, String.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (messageId != null) {
            messages.recordAttemptFailure(messageId, cause == null ? "unknown error" : StatusRecorder.describe(cause));
        }
    }
}
