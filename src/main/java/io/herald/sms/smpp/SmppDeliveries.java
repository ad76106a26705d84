package io.herald.sms.smpp;

import io.herald.api.Json;
import org.apache.camel.ProducerTemplate;
import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.MessageType;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.OptionalParameters;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The deliver_sm of one upstream's receiving binds: a delivery receipt goes to {@code direct:smpp-receipt}, any other
 * (a mobile-originated message) to {@code direct:smpp-inbound} as {@code {"from","to","text"}}, the way of
 * {@code /callbacks/sms/inbound} (routes/smpp.camel.yaml). A receipt that arrives before its part is recorded (the
 * submit_sm_resp and the receipt can cross) is tried again for up to herald.smpp.receipt-wait-ms.
 */
final class SmppDeliveries implements MessageReceiverListener {
    static final String UPSTREAM = "heraldSmppUpstream";
    private static final Logger LOG = LoggerFactory.getLogger(SmppDeliveries.class);
    private static final long RETRY_MS = 200;

    /** Makes the listener of an upstream's binds. */
    interface Factory {
        MessageReceiverListener receiver(String upstream, ScheduledExecutorService scheduler);
    }

    private final String upstream;
    private final ProducerTemplate template;
    private final ScheduledExecutorService scheduler;
    private final long receiptWaitMs;

    SmppDeliveries(String upstream, ProducerTemplate template, ScheduledExecutorService scheduler, long receiptWaitMs) {
        this.upstream = upstream;
        this.template = template;
        this.scheduler = scheduler;
        this.receiptWaitMs = receiptWaitMs;
    }

    @Override
    public void onAcceptDeliverSm(DeliverSm deliverSm) throws ProcessRequestException {
        byte[] body = deliverSm.getShortMessage() == null ? new byte[0] : deliverSm.getShortMessage();
        OptionalParameter payload = OptionalParameters.get(OptionalParameter.Tag.MESSAGE_PAYLOAD.code(),
                deliverSm.getOptionalParameters());
        if (body.length == 0 && payload instanceof OptionalParameter.OctetString octets) {
            body = octets.getValue();
        }
        if (MessageType.SMSC_DEL_RECEIPT.containedIn(deliverSm.getEsmClass())) {
            Receipt receipt = Receipt.parse(new String(body, StandardCharsets.ISO_8859_1), receiptedId(deliverSm),
                    messageState(deliverSm));
            if (receipt == null) {
                LOG.warn("SMPP upstream {}: a delivery receipt without id or state, ignored", upstream);
                return;
            }
            receipt(receipt, System.currentTimeMillis() + receiptWaitMs);
            return;
        }
        Map<String, String> inbound = new LinkedHashMap<>();
        inbound.put("from", deliverSm.getSourceAddr());
        inbound.put("to", deliverSm.getDestAddress());
        inbound.put("text", SmppText.decode(body, deliverSm.getDataCoding(),
                (deliverSm.getEsmClass() & 0x40) != 0));
        try {
            template.requestBodyAndHeader("direct:smpp-inbound", Json.write(inbound), UPSTREAM, upstream);
        } catch (RuntimeException e) {
            LOG.warn("SMPP upstream {}: inbound message not taken: {}", upstream, e.getMessage());
            throw new ProcessRequestException("inbound message not taken", 0x08);
        }
    }

    private void receipt(Receipt receipt, long giveUpAt) {
        try {
            template.requestBodyAndHeader("direct:smpp-receipt", receipt, UPSTREAM, upstream);
        } catch (RuntimeException e) {
            if (System.currentTimeMillis() < giveUpAt && !scheduler.isShutdown()) {
                scheduler.schedule(() -> receipt(receipt, giveUpAt), RETRY_MS, TimeUnit.MILLISECONDS);
            } else {
                LOG.warn("SMPP upstream {}: receipt for {} ({}) not applied: {}", upstream, receipt.smscMessageId(),
                        receipt.stat(), e.getMessage());
            }
        }
    }

    private static String receiptedId(DeliverSm deliverSm) {
        OptionalParameter tlv = OptionalParameters.get(OptionalParameter.Tag.RECEIPTED_MESSAGE_ID.code(),
                deliverSm.getOptionalParameters());
        return tlv instanceof OptionalParameter.COctetString text ? text.getValueAsString()
                : tlv instanceof OptionalParameter.OctetString octets ? octets.getValueAsString() : null;
    }

    private static Integer messageState(DeliverSm deliverSm) {
        OptionalParameter tlv = OptionalParameters.get(OptionalParameter.Tag.MESSAGE_STATE.code(),
                deliverSm.getOptionalParameters());
        return tlv instanceof OptionalParameter.Byte state ? (int) state.getValue() : null;
    }

    @Override
    public void onAcceptAlertNotification(AlertNotification alertNotification) {
    }

    @Override
    public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
        throw new ProcessRequestException("data_sm is not supported", 0x03);
    }
}
