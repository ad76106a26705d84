package io.herald.api.cosmos;

/** A COSMOS request ends with this status word (the answer is {@code {"status": word}} with its HTTP code). */
public class CosmosException extends RuntimeException {
    private final CosmosStatus status;

    public CosmosException(CosmosStatus status) {
        super(status.word());
        this.status = status;
    }

    public CosmosStatus status() {
        return status;
    }
}
