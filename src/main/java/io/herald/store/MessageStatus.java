package io.herald.store;

import java.util.EnumSet;
import java.util.Set;

public enum MessageStatus {
    ACCEPTED, SCHEDULED, QUEUED, SENT, DELIVERED, NOT_DELIVERED, FAILED, REJECTED;

    public static final Set<MessageStatus> FINAL = EnumSet.of(DELIVERED, NOT_DELIVERED, FAILED, REJECTED);

    public boolean isFinal() {
        return FINAL.contains(this);
    }
}
