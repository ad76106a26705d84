package io.herald.api.messaging;

import io.herald.api.ApiError;
import io.herald.security.Principal;
import io.herald.store.Channel;
import io.herald.store.DispatchRepository;
import io.herald.store.DispatchRepository.Dispatch;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Messaging API {@code GET /api/Dispatches/{dispatchId}} (docs/contract.md#messaging-api): a dispatch of the caller's
 * account, with every field of the dialect's dispatch object. Another account's dispatch is 404 (1003).
 * <p>
 * {@code totalRecipients} counts the recipients the dispatch sends to (1 for a call with one valid recipient of two,
 * unlike the SendMessages answer's); {@code queueAt} and {@code sendAt} are the effective send time; {@code lastUpdate}
 * is the last change after creation (queuing), {@code modifiedDate} the same or the creation time;
 * {@code creationDate} is {@code createdAt}. Herald has no schedules, legacy codes or gateways: {@code scheduleId} and
 * {@code legacyCode1} are null, {@code gatewayId} and {@code gatewayId1} empty.
 */
public class DispatchApi {
    private final DispatchRepository dispatches;

    public DispatchApi(DispatchRepository dispatches) {
        this.dispatches = dispatches;
    }

    public Map<String, Object> get(@Header("dispatchId") String dispatchId, @ExchangeProperty(Principal.PROPERTY) Principal principal) {
        Dispatch d = dispatches.findDispatch(principal.accountId(), parseId(dispatchId))
                .orElseThrow(() -> ApiError.NOT_FOUND.exception("Dispatch not found"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dispatchId", d.id());
        m.put("campaignMessageId", d.campaignId());
        m.put("scheduleId", null);
        m.put("createdAt", MessagingDates.utc(d.createdAt()));
        m.put("startedQueuingAt", MessagingDates.utc(d.startedQueuingAt()));
        m.put("finishedQueuingAt", MessagingDates.utc(d.finishedQueuingAt()));
        m.put("messageTypeId", d.channel() == Channel.SMS ? 1 : 2);
        m.put("isTest", d.test());
        m.put("isInitialized", d.sendStatus() != Dispatch.DRAFT);
        m.put("hasStartedQueuing", d.startedQueuingAt() != null);
        m.put("hasFinishedQueuing", d.finishedQueuingAt() != null);
        m.put("totalRecipients", d.accepted());
        m.put("sendStatusId", d.sendStatus());
        m.put("errorMessage", d.errorMessage());
        m.put("lastUpdate", MessagingDates.utc(d.updatedAt()));
        m.put("queueAt", MessagingDates.utc(d.sendAt()));
        m.put("sendAt", MessagingDates.utc(d.sendAt()));
        m.put("legacyCode1", null);
        m.put("gatewayId", "");
        m.put("gatewayId1", "");
        m.put("creationDate", MessagingDates.utc(d.createdAt()));
        m.put("modifiedDate", MessagingDates.utc(d.updatedAt() != null ? d.updatedAt() : d.createdAt()));
        return m;
    }

    private static long parseId(String raw) {
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw ApiError.NOT_FOUND.exception("Dispatch not found");
        }
    }
}
