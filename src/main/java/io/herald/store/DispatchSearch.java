package io.herald.store;

import io.herald.store.DispatchRepository.Dispatch;

import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An account's dispatches, newest first ({@code GET /v1/dispatches}, docs/lists.md), in the order of
 * dispatch_account_id (account_id, id), with how many of each one's messages are in each status.
 */
public class DispatchSearch {
    /** The filters; each null one is not applied. {@code campaignCode}: dispatches of that campaign. */
    public record Criteria(String campaignCode, OffsetDateTime from, OffsetDateTime to) {
    }

    /** A dispatch with what a list adds to it: its dialect, its campaign's code, its messages per status. */
    public record Row(Dispatch dispatch, String dialect, String campaignCode, Map<MessageStatus, Long> messages) {
    }

    private final Jdbc jdbc;

    public DispatchSearch(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Dispatches with an id below {@code beforeId} (null: from the newest), at most {@code limit}. */
    public List<Row> find(long accountId, Criteria c, Long beforeId, int limit) {
        Where where = new Where().and(accountId, "d.account_id = ?", accountId)
                .and(c.campaignCode(), "c.code = ?", c.campaignCode())
                .and(c.from(), "d.created_at >= ?", c.from())
                .and(c.to(), "d.created_at < ?", c.to())
                .and(beforeId, "d.id < ?", beforeId);
        List<Row> rows = jdbc.query("SELECT d.*, c.channel, c.code FROM dispatch d JOIN campaign c ON c.id = d.campaign_id"
                + " WHERE " + where.sql() + " ORDER BY d.id DESC FETCH FIRST " + limit + " ROWS ONLY",
                rs -> new Row(DispatchRepository.mapDispatch(rs), rs.getString("dialect"), rs.getString("code"),
                        new EnumMap<>(MessageStatus.class)), where.params());
        if (!rows.isEmpty()) {
            Map<Long, Map<MessageStatus, Long>> counts = new HashMap<>();
            rows.forEach(r -> counts.put(r.dispatch().id(), r.messages()));
            jdbc.query("SELECT dispatch_id, status, COUNT(*) AS n FROM message WHERE dispatch_id IN " + Jdbc.in(rows.size())
                    + " GROUP BY dispatch_id, status", (ResultSet rs) -> counts.get(rs.getLong("dispatch_id"))
                    .put(MessageStatus.valueOf(rs.getString("status")), rs.getLong("n")),
                    rows.stream().map(r -> (Object) r.dispatch().id()).toArray());
        }
        return rows;
    }
}
