package io.herald.api;

import io.herald.pipeline.EmailAddresses;
import io.herald.security.Principal;
import io.herald.store.CampaignRepository;
import io.herald.store.Channel;
import io.herald.store.DispatchRepository.Dispatch;
import io.herald.store.DispatchSearch;
import io.herald.store.MessageSearch;
import io.herald.store.MessageSearch.Position;
import io.herald.store.MessageStatus;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A tenant's lists (docs/lists.md): {@code GET /v1/campaigns}, {@code GET /v1/messages}, {@code GET /v1/dispatches};
 * only the caller's account's items, newest first.
 */
public class TenantListsApi {
    private static final List<String> STATUSES = Arrays.stream(MessageStatus.values()).map(Enum::name).toList();
    private static final List<String> CHANNELS = Arrays.stream(Channel.values()).map(Enum::name).toList();
    private static final List<String> CAMPAIGN_STATUSES = List.of("DRAFT", "ACTIVE", "INACTIVE");
    private static final Map<Integer, String> SEND_STATUSES = Map.of(Dispatch.DRAFT, "DRAFT", Dispatch.PENDING, "PENDING",
            Dispatch.QUEUED, "QUEUED", Dispatch.ERROR, "ERROR");

    private final CampaignRepository campaigns;
    private final MessageSearch messages;
    private final DispatchSearch dispatches;
    private final ListQuery.Limits limits;

    public TenantListsApi(CampaignRepository campaigns, MessageSearch messages, DispatchSearch dispatches,
                          ListQuery.Limits limits) {
        this.campaigns = campaigns;
        this.messages = messages;
        this.dispatches = dispatches;
        this.limits = limits;
    }

    /** {@code GET /v1/campaigns?status=&channel=}: each item as {@code GET /v1/campaigns/{code}} shows it. */
    public Map<String, Object> campaigns(Exchange exchange, @ExchangeProperty(Principal.PROPERTY) Principal principal) {
        ListQuery q = ListQuery.read(exchange, "campaigns", limits, Set.of("status", "channel"));
        String status = q.oneOf("status", CAMPAIGN_STATUSES);
        String channel = q.oneOf("channel", CHANNELS);
        return q.page(campaigns.list(principal.accountId(), status, channel == null ? null : Channel.valueOf(channel),
                q.afterId(), q.limit() + 1), CampaignApi::view, c -> String.valueOf(c.id()));
    }

    /** {@code GET /v1/messages?status=&channel=&recipient=&dispatch=&from=&to=}, newest accepted first. */
    public Map<String, Object> messages(Exchange exchange, @ExchangeProperty(Principal.PROPERTY) Principal principal) {
        ListQuery q = ListQuery.read(exchange, "messages", limits,
                Set.of("status", "channel", "recipient", "dispatch", "from", "to"));
        String status = q.oneOf("status", STATUSES);
        String channel = q.oneOf("channel", CHANNELS);
        OffsetDateTime[] range = range(q);
        MessageSearch.Criteria criteria = new MessageSearch.Criteria(status == null ? null : MessageStatus.valueOf(status),
                channel == null ? null : Channel.valueOf(channel), recipients(q.text("recipient")), q.id("dispatch"),
                range[0], range[1]);
        return q.page(messages.find(principal.accountId(), criteria, q.after(TenantListsApi::position), q.limit() + 1),
                TenantListsApi::view, r -> key(r.position()));
    }

    /** {@code GET /v1/dispatches?campaign=&from=&to=}, newest first, each with its messages per status. */
    public Map<String, Object> dispatches(Exchange exchange, @ExchangeProperty(Principal.PROPERTY) Principal principal) {
        ListQuery q = ListQuery.read(exchange, "dispatches", limits, Set.of("campaign", "from", "to"));
        OffsetDateTime[] range = range(q);
        DispatchSearch.Criteria criteria = new DispatchSearch.Criteria(q.text("campaign"), range[0], range[1]);
        return q.page(dispatches.find(principal.accountId(), criteria, q.afterId(), q.limit() + 1), TenantListsApi::view,
                r -> String.valueOf(r.dispatch().id()));
    }

    private static OffsetDateTime[] range(ListQuery q) {
        OffsetDateTime from = q.time("from");
        OffsetDateTime to = q.time("to");
        if (from != null && to != null && !from.isBefore(to)) {
            throw ListQuery.invalid("from must be before to");
        }
        return new OffsetDateTime[] {from, to};
    }

    /**
     * The stored forms a recipient filter may match: as given; an email address normalised as the pipeline stores it;
     * a phone number without its spaces, dashes, dots and brackets, with and without a leading {@code +} (a {@code +}
     * left unencoded in the query arrives as a space).
     */
    static List<String> recipients(String given) {
        if (given == null) {
            return null;
        }
        if (given.length() > 320) {
            throw ListQuery.invalid("recipient must be at most 320 characters");
        }
        Set<String> forms = new LinkedHashSet<>();
        forms.add(given);
        if (given.contains("@")) {
            EmailAddresses.normalise(given).ifPresent(forms::add);
        } else {
            String digits = given.replaceAll("[\\s\\-.()]", "");
            forms.add(digits);
            forms.add(digits.startsWith("+") ? digits.substring(1) : "+" + digits);
        }
        return List.copyOf(forms);
    }

    /** A message list's cursor key: the accepted time (seconds.nanos) and id of the page's last item. */
    private static String key(Position p) {
        Instant at = p.acceptedAt().toInstant();
        return at.getEpochSecond() + "." + at.getNano() + "." + p.id();
    }

    private static Position position(String key) {
        String[] parts = key.split("\\.", 3);
        OffsetDateTime at = Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])).atOffset(ZoneOffset.UTC);
        if (parts[2].isEmpty() || parts[2].length() > 36 || !ListQuery.storable(at)) {
            return null;
        }
        return new Position(at, parts[2]);
    }

    private static Map<String, Object> view(MessageSearch.Row r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("messageId", r.id());
        if (r.contentErasedAt() == null) {
            m.put("recipient", r.recipient());
        }
        m.put("channel", r.channel().name());
        m.put("status", r.status().name());
        m.put("dispatchId", r.dispatchId());
        m.put("campaignId", r.campaignId());
        m.put("sandbox", r.sandbox());
        m.put("acceptedAt", ListQuery.at(r.acceptedAt()));
        m.put("updatedAt", ListQuery.at(r.updatedAt()));
        if (r.contentErasedAt() != null) {
            m.put("contentErasedAt", ListQuery.at(r.contentErasedAt()));
        }
        return m;
    }

    private static Map<String, Object> view(DispatchSearch.Row r) {
        Dispatch d = r.dispatch();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dispatchId", d.id());
        m.put("campaignId", d.campaignId());
        m.put("campaignCode", r.campaignCode());
        m.put("channel", d.channel().name());
        m.put("dialect", r.dialect());
        m.put("test", d.test());
        m.put("scheduled", d.scheduled());
        m.put("sendStatus", SEND_STATUSES.getOrDefault(d.sendStatus(), String.valueOf(d.sendStatus())));
        m.put("totalRecipients", d.totalRecipients());
        m.put("accepted", d.accepted());
        Map<String, Long> counts = new LinkedHashMap<>();
        r.messages().forEach((status, n) -> counts.put(status.name(), n));
        m.put("messages", counts);
        m.put("createdAt", ListQuery.at(d.createdAt()));
        m.put("sendAt", ListQuery.at(d.sendAt()));
        m.put("startedQueuingAt", ListQuery.at(d.startedQueuingAt()));
        m.put("finishedQueuingAt", ListQuery.at(d.finishedQueuingAt()));
        m.put("errorMessage", d.errorMessage());
        return m;
    }
}
