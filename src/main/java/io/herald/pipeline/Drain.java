package io.herald.pipeline;

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
}
