package io.herald.pipeline;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochRandomGenerator;
import io.herald.crm.CrmRepository;
import io.herald.crm.CrmRepository.CrmRecord;
import io.herald.store.Batch;
import io.herald.store.MessageRepository;
import io.herald.store.MessageStatus;
import io.herald.store.StoredMessage;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes accepted messages with new ids, for the accept transaction ({@link MessageStore}) and the spool's expansion
 * ({@link SpoolExpansion}) alike: each message with its first events, the CRM record of each recipient with a card
 * number, and what its dialect stores besides ({@link DialectRecord}).
 */
public class MessageWriter {
    /**
     * Message ids are version-7 UUIDs: time-ordered, so the messages of a large dispatch go to the end of the message
     * table's indexes (and of every index that refers to it) instead of to random pages all over them. Ordered to the
     * millisecond only: the rest is random for each id, so one id does not tell the next.
     */
    private static final TimeBasedEpochRandomGenerator MESSAGE_IDS = Generators.timeBasedEpochRandomGenerator();

    private final MessageRepository messages;
    private final CrmRepository crm;
    private final Map<String, DialectRecord> dialectRecords;

    /** {@code dialectRecords}: by dialect, what its messages store besides themselves, in the same transaction. */
    public MessageWriter(MessageRepository messages, CrmRepository crm, Map<String, DialectRecord> dialectRecords) {
        this.messages = messages;
        this.crm = crm;
        this.dialectRecords = Map.copyOf(dialectRecords);
    }

    /** Where the accepted messages of one request go, and what they are stored as. */
    record Placement(long accountId, long dispatchId, long campaignId, boolean sandbox, String dialect,
                     MessageStatus status, String detail, OffsetDateTime receivedAt, OffsetDateTime sendAt,
                     MessageRepository.Claim claim) {
    }

    /** Accepted messages with their new ids, as they are stored. */
    record Placed(List<String> ids, List<StoredMessage> rows) {
    }

    /**
     * Adds accepted messages with new ids to a batch, with the CRM record of each recipient with a card number and what
     * their dialect stores besides. Answers the ids, in order, and the rows.
     */
    Placed place(Batch b, Placement at, List<SpooledMessage> accepted) {
        List<String> ids = new ArrayList<>(accepted.size());
        List<StoredMessage> rows = new ArrayList<>(accepted.size());
        List<CrmRecord> crmRecords = new ArrayList<>();
        List<DialectRecord.Accepted> stored = new ArrayList<>(accepted.size());
        for (SpooledMessage m : accepted) {
            String id = MESSAGE_IDS.generate().toString();
            ids.add(id);
            rows.add(new StoredMessage(id, at.accountId(), at.dispatchId(), at.campaignId(), m.channel(), m.address(), m.from(),
                    m.replyTo(), m.subject(), m.text(), m.html(), m.unsubscribeUrl(), at.sandbox(), at.status(),
                    at.claim() == null ? 0 : 1, at.claim() == null ? null : at.receivedAt(), null));
            stored.add(new DialectRecord.Accepted(id, m.recipient()));
            if (m.recipient().cardNumber() != null) {
                crmRecords.add(new CrmRecord(0, id, m.recipient().cardNumber(), m.recipient().uniqueId(), m.channel(),
                        at.campaignId(), at.dispatchId(), at.receivedAt(), at.sendAt()));
            }
        }
        messages.add(b, rows, at.detail(), at.claim());
        crm.addCrmRecords(b, crmRecords);
        DialectRecord dialectRecord = at.dialect() == null ? null : dialectRecords.get(at.dialect());
        if (dialectRecord != null) {
            dialectRecord.store(b, stored);
        }
        return new Placed(ids, rows);
    }
}
