package io.herald.pipeline;

import org.apache.camel.Exchange;

/**
 * The contract of the {@code drain} route template (routes/edge.camel.yaml): work taken from the database batch by
 * batch until none is left. The bean method that takes a batch sets {@link #MORE} to whether more may be waiting; the
 * loop ends when it is false, or at the first failure.
 */
public final class Drain {
    /** Exchange property: whether the drain takes another batch. */
    public static final String MORE = "heraldMore";

    private Drain() {
    }

    /** The first step of a drain: take a batch. */
    public static void begin(Exchange exchange) {
        exchange.setProperty(MORE, true);
    }

    /** Whether the drain takes another batch (the loop's condition). */
    public static boolean more(Exchange exchange) {
        return exchange.getProperty(MORE, false, Boolean.class);
    }

    /** Ends the drain after a failure: the work stays in the database until it is woken next. */
    public static void end(Exchange exchange) {
        exchange.setProperty(MORE, false);
    }
}
