package io.herald.crm;

import io.herald.store.Batch;
import io.herald.store.Channel;
import io.herald.store.Jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

import static io.herald.store.Jdbc.now;
import static io.herald.store.Jdbc.utc;

/** The CRM outbox (migration V2): a record per message with a card number, stored with it, kept until sent. */
public class CrmRepository {
    private final Jdbc jdbc;

    public CrmRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** The CRM record of one message whose recipient has a card number, waiting until the CRM endpoint took it. */
    public record CrmRecord(long outboxId, String messageId, String cardNumber, String uniqueId, Channel channel,
                            long campaignId, long dispatchId, OffsetDateTime acceptedAt, OffsetDateTime sendAt) {
    }

    private static final String INSERT_CRM = "INSERT INTO crm_outbox (message_id, card_number, unique_id, channel,"
            + " campaign_id, dispatch_id, accepted_at, send_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    /** Adds CRM records for the outbox to a batch (the one that stores their messages). */
    public void addCrmRecords(Batch b, List<CrmRecord> records) {
        for (CrmRecord r : records) {
            b.add(INSERT_CRM, r.messageId(), r.cardNumber(), r.uniqueId(), r.channel().name(), r.campaignId(), r.dispatchId(),
                    utc(r.acceptedAt()), utc(r.sendAt()));
        }
    }

    /**
     * Claims up to {@code limit} outbox records for {@code lease}, oldest first. Each claim is a conditional UPDATE, so a
     * record is sent by one instance at a time; a claim that runs out (its instance died) makes the record due again.
     */
    public List<CrmRecord> claimCrmRecords(int limit, Duration lease) {
        OffsetDateTime now = now();
        List<CrmRecord> candidates = jdbc.query("SELECT * FROM crm_outbox WHERE claimed_until IS NULL OR claimed_until <= ?"
                + " ORDER BY id FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY", CrmRepository::mapCrmRecord, now);
        if (candidates.isEmpty()) {
            return candidates;
        }
        return jdbc.inTransaction(c -> Jdbc.updateEach(c, "UPDATE crm_outbox SET claimed_until = ?"
                + " WHERE id = ? AND (claimed_until IS NULL OR claimed_until <= ?)", candidates,
                r -> new Object[] {now.plus(lease), r.outboxId(), now}));
    }

    /** Removes records the CRM endpoint took. */
    public void deleteCrmRecords(List<CrmRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        jdbc.inTransaction(c -> Jdbc.updateEach(c, "DELETE FROM crm_outbox WHERE id = ?", records,
                r -> new Object[] {r.outboxId()}));
    }

    private static CrmRecord mapCrmRecord(ResultSet rs) throws SQLException {
        return new CrmRecord(rs.getLong("id"), rs.getString("message_id"), rs.getString("card_number"), rs.getString("unique_id"),
                Channel.valueOf(rs.getString("channel")), rs.getLong("campaign_id"), rs.getLong("dispatch_id"),
                Jdbc.timestamp(rs, "accepted_at"), Jdbc.timestamp(rs, "send_at"));
    }
}
