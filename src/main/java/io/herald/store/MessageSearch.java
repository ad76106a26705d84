package io.herald.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * An account's messages, newest accepted first, with filters ({@code GET /v1/messages}, docs/lists.md). Read in the
 * order of message_account_created (account_id, created_at, id); a recipient or dispatch filter may use
 * message_recipient or message_dispatch instead. Paged by the last (accepted time, id) seen.
 */
public class MessageSearch {
    /** The filters; each null one is not applied. {@code recipients}: any of these stored values. */
    public record Criteria(MessageStatus status, Channel channel, List<String> recipients, Long dispatchId,
                           OffsetDateTime from, OffsetDateTime to) {
    }

    /** Where a page ends: the last item's accepted time and id. */
    public record Position(OffsetDateTime acceptedAt, String id) {
    }

    /** A message as a list shows it; {@code recipient} null once retention erased it ({@code contentErasedAt}). */
    public record Row(String id, long dispatchId, long campaignId, Channel channel, String recipient, MessageStatus status,
                      boolean sandbox, OffsetDateTime acceptedAt, OffsetDateTime updatedAt, OffsetDateTime contentErasedAt) {
        public Position position() {
            return new Position(acceptedAt, id);
        }
    }

    private final Jdbc jdbc;

    public MessageSearch(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public List<Row> find(long accountId, Criteria c, Position after, int limit) {
        Where where = new Where().and(accountId, "account_id = ?", accountId)
                .and(c.status(), "status = ?", c.status() == null ? null : c.status().name())
                .and(c.channel(), "channel = ?", c.channel() == null ? null : c.channel().name())
                .and(c.dispatchId(), "dispatch_id = ?", c.dispatchId())
                .and(c.from(), "created_at >= ?", c.from())
                .and(c.to(), "created_at < ?", c.to());
        if (c.recipients() != null) {
            where.and(c.recipients(), "recipient IN " + Jdbc.in(c.recipients().size()), c.recipients().toArray());
        }
        if (after != null) {
            where.and(after, "(created_at < ? OR (created_at = ? AND id < ?))", after.acceptedAt(), after.acceptedAt(), after.id());
        }
        return jdbc.query("SELECT id, dispatch_id, campaign_id, channel, recipient, status, sandbox, created_at, updated_at,"
                + " content_erased_at FROM message WHERE " + where.sql() + " ORDER BY created_at DESC, id DESC FETCH FIRST "
                + limit + " ROWS ONLY", MessageSearch::map, where.params());
    }

    private static Row map(ResultSet rs) throws SQLException {
        return new Row(rs.getString("id"), rs.getLong("dispatch_id"), rs.getLong("campaign_id"),
                Channel.valueOf(rs.getString("channel")), rs.getString("recipient"), MessageStatus.valueOf(rs.getString("status")),
                rs.getBoolean("sandbox"), Jdbc.timestamp(rs, "created_at"), Jdbc.timestamp(rs, "updated_at"),
                Jdbc.timestamp(rs, "content_erased_at"));
    }
}
