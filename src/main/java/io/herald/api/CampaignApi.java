package io.herald.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.pipeline.EmailAddresses;
import io.herald.security.Principal;
import io.herald.security.Secrets;
import io.herald.store.Campaign;
import io.herald.store.CampaignCache;
import io.herald.store.CampaignRepository;
import io.herald.store.Channel;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

import java.util.LinkedHashMap;
import java.util.Map;

/** The tenant campaign API (docs/contract.md#accounts-keys-and-campaigns). Another account's campaign is 404 (1003). */
public class CampaignApi {
    private final CampaignRepository campaigns;
    private final CampaignCache sendable;

    public CampaignApi(CampaignRepository campaigns, CampaignCache sendable) {
        this.campaigns = campaigns;
        this.sendable = sendable;
    }

    public Map<String, Object> create(Exchange exchange, @ExchangeProperty(Principal.PROPERTY) Principal principal) {
        ObjectNode body = Json.requestObject(exchange);
        String name = name(Json.requiredText(body, "name"));
        String channelName = Json.requiredText(body, "channel");
        Channel channel;
        try {
            channel = Channel.valueOf(channelName);
        } catch (IllegalArgumentException e) {
            throw ApiError.INVALID_FIELD.exception("channel must be EMAIL or SMS");
        }
        Campaign draft = new Campaign(0, principal.accountId(), Secrets.base36(13), name, channel, Campaign.DRAFT,
                null, null, null, null, null, null, null, null);
        Campaign created = campaigns.create(withContent(draft, body));
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 201);
        return view(created);
    }

    public Map<String, Object> get(@Header("code") String code, @ExchangeProperty(Principal.PROPERTY) Principal principal) {
        return view(find(principal, code));
    }

    public Map<String, Object> update(Exchange exchange, @Header("code") String code,
                                      @ExchangeProperty(Principal.PROPERTY) Principal principal) {
        Campaign campaign = find(principal, code);
        ObjectNode body = Json.requestObject(exchange);
        Campaign renamed = body.has("name") ? campaign.withName(name(Json.requiredText(body, "name"))) : campaign;
        Campaign updated = withContent(renamed, body);
        if (updated.isActive()) {
            validateSendable(updated);
        }
        return view(save(updated));
    }

    public Map<String, Object> activate(@Header("code") String code, @ExchangeProperty(Principal.PROPERTY) Principal principal) {
        Campaign campaign = find(principal, code);
        validateSendable(campaign);
        return view(save(campaign.withStatus(Campaign.ACTIVE)));
    }

    public Map<String, Object> deactivate(@Header("code") String code, @ExchangeProperty(Principal.PROPERTY) Principal principal) {
        return view(save(find(principal, code).withStatus(Campaign.INACTIVE)));
    }

    /** Stores the change; the send pipeline's cached copy is dropped, so the next send on this instance sees it. */
    private Campaign save(Campaign campaign) {
        Campaign saved = campaigns.update(campaign);
        sendable.forget(saved);
        return saved;
    }

    private static String name(String name) {
        return Json.storedText("name", name, 200);
    }

    private Campaign find(Principal principal, String code) {
        return campaigns.findByCode(principal.accountId(), code)
                .orElseThrow(() -> ApiError.NOT_FOUND.exception("Campaign not found"));
    }

    /** A campaign can only be activated with the content its channel needs. */
    private static void validateSendable(Campaign c) {
        if (c.channel() == Channel.EMAIL) {
            if (c.from() == null || c.from().isBlank()) {
                throw ApiError.INVALID_FIELD.exception("from is required to activate an EMAIL campaign");
            }
            if ((c.html() == null || c.html().isBlank()) && (c.text() == null || c.text().isBlank())) {
                throw ApiError.INVALID_FIELD.exception("html or text is required to activate an EMAIL campaign");
            }
        } else {
            if (c.from() == null || c.from().isBlank()) {
                throw ApiError.INVALID_FIELD.exception("from is required to activate an SMS campaign");
            }
            if (c.text() == null || c.text().isBlank()) {
                throw ApiError.INVALID_FIELD.exception("text is required to activate an SMS campaign");
            }
        }
    }

    private static Campaign withContent(Campaign c, ObjectNode body) {
        String from = field(body, "from", c.from());
        String replyTo = field(body, "replyTo", c.replyTo());
        if (c.channel() == Channel.EMAIL) {
            requireEmail("from", from);
            requireEmail("replyTo", replyTo);
        } else if (from != null && (from.isBlank() || from.length() > 16 || from.chars().anyMatch(Character::isISOControl))) {
            throw ApiError.INVALID_FIELD.exception("from must be 1-16 printable characters for an SMS campaign");
        }
        String subject = field(body, "subject", c.subject());
        if (subject != null && subject.chars().anyMatch(ch -> ch == '\r' || ch == '\n')) {
            throw ApiError.INVALID_FIELD.exception("subject must not contain line breaks");
        }
        // the storage limits of the campaign's columns: a longer value is the client's mistake (2001), not a 1000
        return new Campaign(c.id(), c.accountId(), c.code(), c.name(), c.channel(), c.status(), Json.storedText("from", from, 320),
                Json.storedText("replyTo", replyTo, 320), Json.storedText("subject", subject, 2000),
                Json.storedText("html", field(body, "html", c.html()), 1_000_000),
                Json.storedText("text", field(body, "text", c.text()), 1_000_000),
                Json.storedText("permissionReminder", field(body, "permissionReminder", c.permissionReminder()), 10_000),
                Json.storedText("unsubscribeUrl", field(body, "unsubscribeUrl", c.unsubscribeUrl()), 2000),
                Json.storedText("companyAddress", field(body, "companyAddress", c.companyAddress()), 2000));
    }

    private static void requireEmail(String field, String value) {
        if (value != null && EmailAddresses.normalise(value).isEmpty()) {
            throw ApiError.INVALID_FIELD.exception(field + " must be a valid email address");
        }
    }

    private static String field(ObjectNode body, String name, String current) {
        return body.has(name) ? Json.text(body, name) : current;
    }

    static Map<String, Object> view(Campaign c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("code", c.code());
        m.put("name", c.name());
        m.put("channel", c.channel().name());
        m.put("status", c.status());
        m.put("from", c.from());
        if (c.channel() == Channel.EMAIL) {
            m.put("replyTo", c.replyTo());
            m.put("subject", c.subject());
            m.put("html", c.html());
        }
        m.put("text", c.text());
        m.put("permissionReminder", c.permissionReminder());
        m.put("unsubscribeUrl", c.unsubscribeUrl());
        m.put("companyAddress", c.companyAddress());
        return m;
    }
}
