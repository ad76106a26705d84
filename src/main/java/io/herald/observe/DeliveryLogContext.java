package io.herald.observe;

import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.MDC;

/**
 * The message and account a delivery attempt is about, in the log context (MDC: {@code messageId},
 * {@code accountId}) of every line logged while it runs: the text layout prints them after the logger name, the JSON
 * layout as fields. Set when the attempt has its message, removed when its exchange is done (on the thread that ran it:
 * a delivery attempt runs on one thread, the queue consumer's or the deliver-due split's).
 */
public final class DeliveryLogContext {
    public static final String MESSAGE_ID = "messageId";
    public static final String ACCOUNT_ID = "accountId";

    private DeliveryLogContext() {
    }

    public static void enter(Exchange exchange, String messageId, long accountId) {
        MDC.put(MESSAGE_ID, messageId);
        MDC.put(ACCOUNT_ID, Long.toString(accountId));
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                clear();
            }

            @Override
            public boolean allowHandover() {
                return false;
            }
        });
    }

    /** No message: a queue entry that gave none leaves no earlier message's ids behind. */
    public static void clear() {
        MDC.remove(MESSAGE_ID);
        MDC.remove(ACCOUNT_ID);
    }
}
