package io.herald.store;

import java.util.HashMap;
import java.util.Map;

public record Campaign(long id, long accountId, String code, String name, Channel channel, String status,
                       String from, String replyTo, String subject, String html, String text,
                       String permissionReminder, String unsubscribeUrl, String companyAddress) {

    public static final String DRAFT = "DRAFT";
    public static final String ACTIVE = "ACTIVE";
    public static final String INACTIVE = "INACTIVE";

    public boolean isActive() {
        return ACTIVE.equals(status);
    }

    public Campaign withStatus(String newStatus) {
        return new Campaign(id, accountId, code, name, channel, newStatus, from, replyTo, subject, html, text,
                permissionReminder, unsubscribeUrl, companyAddress);
    }

    public Campaign withName(String newName) {
        return new Campaign(id, accountId, code, newName, channel, status, from, replyTo, subject, html, text,
                permissionReminder, unsubscribeUrl, companyAddress);
    }

    /** The campaign's values for the ${…} tags, keyed by tag name. */
    public Map<String, String> tagDefaults() {
        Map<String, String> defaults = new HashMap<>();
        defaults.put("permission_reminder", permissionReminder);
        defaults.put("unsubscribe", unsubscribeUrl);
        defaults.put("company_address", companyAddress);
        return defaults;
    }
}
