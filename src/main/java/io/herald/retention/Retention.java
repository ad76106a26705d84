package io.herald.retention;

import io.herald.sms.GsmAlphabet;
import io.herald.store.Channel;
import io.herald.store.Jdbc;
import io.herald.store.MessageStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Data retention (docs/security.md), run by routes/retention.camel.yaml in bounded batches, each in a short
 * transaction of its own, so that accepting goes on meanwhile.
 * <ul>
 * <li>A final message (a status it never leaves, {@link MessageStatus#FINAL}) that became final (its
 * {@code updated_at}: the time of its last status change) more than {@code herald.retention.message-content} ago
 * loses its personal data: recipient, subject, bodies, unsubscribe URL, last error and its events' details become
 * NULL; its sandbox deliveries, CRM records (outbox and table) and callbacks (with their dead letters) go. Id,
 * status, channel, sender, timestamps, attempts, events (status and time), its dispatch's counts and, for an SMS,
 * encoding and segment count stay.</li>
 * <li>One that became final more than {@code herald.retention.messages} ago goes whole, with its events and
 * everything else that refers to it; then dispatches older than that which have no message left (and none spooled)
 * go too, with their summary callbacks.</li>
 * </ul>
 * Each batch selects up to {@code batch-size} messages in id order after the last one the run saw (so a run reads
 * the table once, whatever the number of batches), and changes them in one transaction. The changes are idempotent:
 * several instances may run at once.
 */
public class Retention {
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
    /**
     * "Final" in the batches' queries: {@code status NOT IN} the others. With {@code status IN} the final ones, H2 reads
     * every final message through the status index (message_claim) and sorts them all, once per batch; this way it
     * (and PostgreSQL) walks the primary key from where the last batch ended and stops at the batch's size.
     */
    private static final String FINAL = EnumSet.complementOf(EnumSet.copyOf(MessageStatus.FINAL)).stream()
            .map(s -> "'" + s.name() + "'").collect(Collectors.joining(", ", "status NOT IN (", ")"));
    /** Bounds the IN lists of one batch (PostgreSQL takes at most 32,767 parameters per statement). */
    static final int MAX_BATCH_SIZE = 10_000;

    private final Jdbc jdbc;
    private final Duration contentPeriod;
    private final Duration rowPeriod;
    private final int batchSize;

    /**
     * Checks the settings, so that a wrong one stops the start: both periods are positive ISO-8601 durations (days:
     * {@code P30D}), rows are kept at least as long as content, and content longer than
     * {@code herald.callbacks.give-up-after}, the look-back of the start-up callback replay (which would otherwise
     * plan callbacks again for a message whose content, and callbacks, are gone).
     */
    public Retention(DataSource dataSource, String messageContent, String messages, int batchSize, String callbacksGiveUpAfter) {
        this.jdbc = new Jdbc(dataSource);
        this.contentPeriod = period("herald.retention.message-content", messageContent);
        this.rowPeriod = period("herald.retention.messages", messages);
        Duration giveUpAfter = period("herald.callbacks.give-up-after", callbacksGiveUpAfter);
        if (rowPeriod.compareTo(contentPeriod) < 0) {
            throw new IllegalArgumentException("herald.retention.messages (" + messages
                    + ") must not be shorter than herald.retention.message-content (" + messageContent + ")");
        }
        if (contentPeriod.compareTo(giveUpAfter) <= 0) {
            throw new IllegalArgumentException("herald.retention.message-content (" + messageContent
                    + ") must be longer than herald.callbacks.give-up-after (" + callbacksGiveUpAfter + ")");
        }
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("herald.retention.batch-size must be between 1 and " + MAX_BATCH_SIZE
                    + ", not " + batchSize);
        }
        this.batchSize = batchSize;
    }

    private static Duration period(String key, String value) {
        try {
            Duration period = Duration.parse(value.trim());
            if (period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException(key + " must be a positive duration, not " + value);
            }
            return period;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(key + " must be an ISO-8601 duration such as P30D, not " + value, e);
        }
    }

    /** A new run: its cut-off times are fixed now. */
    public RetentionRun start() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return new RetentionRun(now.minus(contentPeriod), now.minus(rowPeriod), batchSize);
    }

    /** One batch of messages final for longer than herald.retention.messages, deleted with all that refers to them. */
    public void deleteMessages(RetentionRun run) {
        List<String> ids = jdbc.query("SELECT id FROM message WHERE id > ? AND " + FINAL + " AND updated_at < ?"
                + " ORDER BY id FETCH FIRST " + batchSize + " ROWS ONLY", rs -> rs.getString(1), run.messagesAfter, run.rowsBefore);
        run.moreMessages = ids.size() == batchSize;
        if (ids.isEmpty()) {
            return;
        }
        run.messagesAfter = ids.get(ids.size() - 1);
        String in = Jdbc.in(ids.size());
        Object[] params = ids.toArray();
        run.deletedMessages += inBatch(run, c -> {
            deletePersonalRecords(c, in, params);
            Jdbc.update(c, "DELETE FROM cosmos_message WHERE message_id IN " + in, params);
            Jdbc.update(c, "DELETE FROM message_event WHERE message_id IN " + in, params);
            Jdbc.update(c, "DELETE FROM sms_part WHERE message_id IN " + in, params);
            return Jdbc.update(c, "DELETE FROM message WHERE id IN " + in, params);
        });
    }

    /**
     * One batch of dispatches created before the herald.retention.messages cut-off that have no message left (their
     * messages were deleted, or they had none) and none spooled, deleted with their summary callbacks.
     */
    public void deleteDispatches(RetentionRun run) {
        String empty = " AND NOT EXISTS (SELECT 1 FROM message m WHERE m.dispatch_id = dispatch.id)"
                + " AND NOT EXISTS (SELECT 1 FROM message_spool s WHERE s.dispatch_id = dispatch.id)";
        List<Long> ids = jdbc.query("SELECT id FROM dispatch WHERE id > ? AND created_at < ?" + empty
                + " ORDER BY id FETCH FIRST " + batchSize + " ROWS ONLY", rs -> rs.getLong(1), run.dispatchesAfter, run.rowsBefore);
        run.moreDispatches = ids.size() == batchSize;
        if (ids.isEmpty()) {
            return;
        }
        run.dispatchesAfter = ids.get(ids.size() - 1);
        String in = Jdbc.in(ids.size());
        Object[] params = ids.toArray();
        run.deletedDispatches += inBatch(run, c -> {
            Jdbc.update(c, "DELETE FROM callback_dead_letter WHERE callback_id IN (SELECT id FROM callback"
                    + " WHERE message_id IS NULL AND dispatch_id IN " + in + ")", params);
            Jdbc.update(c, "DELETE FROM callback WHERE message_id IS NULL AND dispatch_id IN " + in, params);
            // a message can join an existing dispatch only from its spool rows: none is left, so none can come
            return Jdbc.update(c, "DELETE FROM dispatch WHERE id IN " + in + empty, params);
        });
    }

    private record Content(String id, Channel channel, String smsText) {
    }

    /** One batch of messages final for longer than herald.retention.message-content whose personal data is erased. */
    public void eraseContent(RetentionRun run) {
        List<Content> found = jdbc.query("SELECT id, channel, CASE WHEN channel = 'SMS' THEN body_text END AS sms_text"
                        + " FROM message WHERE id > ? AND " + FINAL + " AND updated_at < ? AND content_erased_at IS NULL"
                        + " ORDER BY id FETCH FIRST " + batchSize + " ROWS ONLY",
                rs -> new Content(rs.getString("id"), Channel.valueOf(rs.getString("channel")), rs.getString("sms_text")),
                run.contentAfter, run.contentBefore);
        run.moreContent = found.size() == batchSize;
        if (found.isEmpty()) {
            return;
        }
        run.contentAfter = found.get(found.size() - 1).id();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        run.erasedMessages += inBatch(run, c -> {
            List<Content> erased = Jdbc.updateEach(c, "UPDATE message SET recipient = NULL, subject = NULL, body_text = NULL,"
                    + " body_html = NULL, unsubscribe_url = NULL, last_error = NULL, sms_encoding = ?, sms_segments = ?,"
                    + " content_erased_at = ? WHERE id = ? AND content_erased_at IS NULL", found, m -> {
                        GsmAlphabet.Segments sms = m.channel() == Channel.SMS
                                ? GsmAlphabet.segments(m.smsText() == null ? "" : m.smsText()) : null;
                        return new Object[] {sms == null ? null : sms.encoding(), sms == null ? null : sms.count(), now, m.id()};
                    });
            if (erased.isEmpty()) {
                return 0;
            }
            String in = Jdbc.in(erased.size());
            Object[] params = erased.stream().map(Content::id).toArray();
            Jdbc.update(c, "UPDATE message_event SET detail = NULL WHERE message_id IN " + in, params);
            deletePersonalRecords(c, in, params);
            return erased.size();
        });
    }

    /** Logs what the run did. */
    public RetentionRun finish(RetentionRun run) {
        run.finished();
        if (run.batches() > 0) {
            LOG.info("Retention: {}", run);
        } else {
            LOG.debug("Retention: {}", run);
        }
        return run;
    }

    /**
     * What else holds a message's personal data: its sandbox deliveries (recipient, body), CRM records (card number,
     * unique id) not yet taken by the CRM endpoint or in the default endpoint's table, and its callbacks (their body
     * names the recipient) with their dead letters.
     */
    private static void deletePersonalRecords(Connection c, String in, Object[] ids) throws SQLException {
        Jdbc.update(c, "DELETE FROM sandbox_delivery WHERE message_id IN " + in, ids);
        Jdbc.update(c, "DELETE FROM crm_outbox WHERE message_id IN " + in, ids);
        Jdbc.update(c, "DELETE FROM crm_record WHERE message_id IN " + in, ids);
        Jdbc.update(c, "DELETE FROM callback_dead_letter WHERE callback_id IN (SELECT id FROM callback WHERE message_id IN "
                + in + ")", ids);
        Jdbc.update(c, "DELETE FROM callback WHERE message_id IN " + in, ids);
    }

    private int inBatch(RetentionRun run, Jdbc.Work<Integer> work) {
        long start = System.nanoTime();
        int changed = jdbc.inTransaction(work);
        run.batchDone(Duration.ofNanos(System.nanoTime() - start));
        return changed;
    }

    /** What retention left of an erased message, for the status reads; empty when its content is not erased. */
    public record Erased(OffsetDateTime at, String smsEncoding, Integer smsSegments) {
    }

    public static Optional<Erased> erased(Jdbc jdbc, String messageId) {
        return jdbc.queryOne("SELECT content_erased_at, sms_encoding, sms_segments FROM message WHERE id = ?"
                + " AND content_erased_at IS NOT NULL", rs -> new Erased(Jdbc.timestamp(rs, "content_erased_at"),
                rs.getString("sms_encoding"), rs.getObject("sms_segments", Integer.class)),
                messageId);
    }
}
