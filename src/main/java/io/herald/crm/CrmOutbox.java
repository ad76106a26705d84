package io.herald.crm;

import io.herald.api.Json;
import io.herald.pipeline.Drain;
import io.herald.crm.CrmRepository.CrmRecord;
import io.herald.status.MessageMetrics;
import org.apache.camel.Exchange;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CRM records of messages (of every dialect) with a card number, drained from the outbox their messages were stored with to
 * {@code herald.crm.endpoint} by the crm-outbox route. Each record is sent as JSON:
 * {@code {"messageId","cardNumber","uniqueId","channel","campaignId","dispatchId","acceptedAt","sendAt"}} (times ISO
 * 8601 UTC), and removed from the outbox once the endpoint took it; a record whose sending failed is sent again
 * after its claim runs out (at least once: the default table ignores a repeated message id).
 */
public class CrmOutbox {
    private final CrmRepository outbox;
    private final MessageMetrics metrics;
    private final int batchSize;
    private final Duration claimTimeout;

    public CrmOutbox(CrmRepository outbox, MessageMetrics metrics, int batchSize, Duration claimTimeout) {
        this.outbox = outbox;
        this.metrics = metrics;
        this.batchSize = batchSize;
        this.claimTimeout = claimTimeout;
    }

    /** Claims the next records to send; {@link Drain#MORE} tells whether more may be waiting. */
    public List<CrmRecord> claim(Exchange exchange) {
        List<CrmRecord> records = outbox.claimCrmRecords(batchSize, claimTimeout);
        exchange.setProperty(Drain.MORE, records.size() == batchSize);
        return records;
    }

    public String json(CrmRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("messageId", r.messageId());
        m.put("cardNumber", r.cardNumber());
        m.put("uniqueId", r.uniqueId());
        m.put("channel", r.channel().name());
        m.put("campaignId", r.campaignId());
        m.put("dispatchId", r.dispatchId());
        m.put("acceptedAt", r.acceptedAt().toInstant().toString());
        m.put("sendAt", r.sendAt().toInstant().toString());
        return Json.write(m);
    }

    public void sent(List<CrmRecord> records) {
        outbox.deleteCrmRecords(records);
    }

    /**
     * Sending a batch failed: counted ({@code herald_crm_failures_total}, an operator should see it); its records stay
     * claimed and are sent again once the claim runs out.
     */
    public void failed() {
        metrics.crmFailed();
    }
}
