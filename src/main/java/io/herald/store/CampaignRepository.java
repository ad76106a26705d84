package io.herald.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

public class CampaignRepository {
    private final Jdbc jdbc;

    public CampaignRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public Campaign create(Campaign c) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        long id = jdbc.inTransaction(conn -> Jdbc.insert(conn,
                "INSERT INTO campaign (account_id, code, name, channel, status, sender, reply_to, subject, html, text,"
                        + " permission_reminder, unsubscribe_url, company_address, created_at, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                c.accountId(), c.code(), c.name(), c.channel().name(), c.status(), c.from(), c.replyTo(), c.subject(),
                c.html(), c.text(), c.permissionReminder(), c.unsubscribeUrl(), c.companyAddress(), now, now));
        return find(c.accountId(), id).orElseThrow();
    }

    public Campaign update(Campaign c) {
        jdbc.update("UPDATE campaign SET name = ?, sender = ?, reply_to = ?, subject = ?, html = ?, text = ?,"
                        + " permission_reminder = ?, unsubscribe_url = ?, company_address = ?, status = ?, updated_at = ?"
                        + " WHERE id = ? AND account_id = ?",
                c.name(), c.from(), c.replyTo(), c.subject(), c.html(), c.text(), c.permissionReminder(),
                c.unsubscribeUrl(), c.companyAddress(), c.status(), OffsetDateTime.now(ZoneOffset.UTC), c.id(), c.accountId());
        return find(c.accountId(), c.id()).orElseThrow();
    }

    public Optional<Campaign> findByCode(long accountId, String code) {
        return jdbc.queryOne("SELECT * FROM campaign WHERE code = ? AND account_id = ?", CampaignRepository::map, code, accountId);
    }

    public Optional<Campaign> find(long accountId, long id) {
        return jdbc.queryOne("SELECT * FROM campaign WHERE id = ? AND account_id = ?", CampaignRepository::map, id, accountId);
    }

    public java.util.List<Campaign> list(long accountId) {
        return jdbc.query("SELECT * FROM campaign WHERE account_id = ? ORDER BY id", CampaignRepository::map, accountId);
    }

    /**
     * The account's campaigns newest first ({@code GET /v1/campaigns}): of {@code status} and {@code channel} when
     * given, with an id below {@code beforeId} (null: from the newest). COSMOS's hidden campaign is not among them.
     */
    public java.util.List<Campaign> list(long accountId, String status, Channel channel, Long beforeId, int limit) {
        Where where = new Where().and(accountId, "account_id = ?", accountId)
                .and(status, "status = ?", status)
                .and(channel, "channel = ?", channel == null ? null : channel.name())
                .and(beforeId, "id < ?", beforeId)
                .and(accountId, "NOT EXISTS (SELECT 1 FROM cosmos_account ca WHERE ca.campaign_id = campaign.id)");
        return jdbc.query("SELECT * FROM campaign WHERE " + where.sql() + " ORDER BY id DESC FETCH FIRST " + limit
                + " ROWS ONLY", CampaignRepository::map, where.params());
    }

    private static Campaign map(ResultSet rs) throws SQLException {
        return new Campaign(rs.getLong("id"), rs.getLong("account_id"), rs.getString("code"), rs.getString("name"),
                Channel.valueOf(rs.getString("channel")), rs.getString("status"), rs.getString("sender"),
                rs.getString("reply_to"), rs.getString("subject"), rs.getString("html"), rs.getString("text"),
                rs.getString("permission_reminder"), rs.getString("unsubscribe_url"), rs.getString("company_address"));
    }
}
