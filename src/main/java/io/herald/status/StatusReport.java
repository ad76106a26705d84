package io.herald.status;

import io.herald.store.MessageStatus;

/** A delivery report for one message, whether from the SMS provider, the sandbox or the SMTP relay. */
public record StatusReport(String messageId, MessageStatus status, String detail) {
}
