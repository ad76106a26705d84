package io.herald.store;

import java.time.OffsetDateTime;

public record MessageEvent(MessageStatus status, OffsetDateTime at, String detail) {
}
