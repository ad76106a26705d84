package io.herald.store;

import java.time.OffsetDateTime;

/** A message as stored at acceptance: rendered, addressed, with its current status. */
public record StoredMessage(String id, long accountId, long dispatchId, long campaignId, Channel channel, String recipient,
                           String from, String replyTo, String subject, String text, String html, String unsubscribeUrl,
                           boolean sandbox, MessageStatus status, int attempts, OffsetDateTime firstAttemptAt,
                           String providerMessageId) {
    /** This message as its first delivery attempt sees it: QUEUED, one attempt, begun at {@code firstAttemptAt}. */
    public StoredMessage firstAttempt(OffsetDateTime firstAttemptAt) {
        return new StoredMessage(id, accountId, dispatchId, campaignId, channel, recipient, from, replyTo, subject, text, html,
                unsubscribeUrl, sandbox, MessageStatus.QUEUED, 1, firstAttemptAt, null);
    }
}
