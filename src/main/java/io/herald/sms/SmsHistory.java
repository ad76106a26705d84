package io.herald.sms;

import io.herald.store.Jdbc;
import io.herald.store.MessageRepository;
import io.herald.store.StoredMessage;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The SMS already stored, as opt-out (whose STOP is it) and the content rules (repeated text) ask after them. */
public class SmsHistory {
    private final Jdbc jdbc;

    public SmsHistory(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The latest SMS stored for one of {@code recipients} (the forms a number may be stored in), from sender
     * {@code sender} when it is not null: whose account an inbound STOP opts out of.
     */
    public Optional<StoredMessage> lastSmsTo(List<String> recipients, String sender) {
        if (recipients.isEmpty()) {
            return Optional.empty();
        }
        List<Object> params = new ArrayList<>(recipients);
        if (sender != null) {
            params.add(sender);
        }
        return jdbc.queryOne("SELECT * FROM message WHERE channel = 'SMS' AND recipient IN " + Jdbc.in(recipients.size())
                + (sender != null ? " AND sender = ?" : "") + " ORDER BY created_at DESC FETCH FIRST 1 ROWS ONLY",
                MessageRepository::map, params.toArray());
    }

    /** How many messages with this text the account sent to this recipient since then (the repeated-text rule). */
    public long countSameText(long accountId, String recipient, String text, OffsetDateTime since) {
        return jdbc.query("SELECT COUNT(*) FROM message WHERE recipient = ? AND created_at >= ? AND account_id = ?"
                + " AND body_text = ?", rs -> rs.getLong(1), recipient, since, accountId, text).get(0);
    }
}
