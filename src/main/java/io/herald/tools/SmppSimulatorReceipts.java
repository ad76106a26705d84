package io.herald.tools;

import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.GSMSpecificFeature;
import org.jsmpp.bean.MessageMode;
import org.jsmpp.bean.MessageType;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.RawDataCoding;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.TypeOfNumber;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The {@link SmppSimulator}'s delivery receipts: one per part, {@code delayMs} after the last part of its message
 * arrived, DELIVRD unless the part's sequence number is {@link #failPart}'s (UNDELIV); in order or reversed; the
 * standard text, and the receipted_message_id / message_state TLVs when {@link #withTlvs} is on.
 */
public final class SmppSimulatorReceipts implements AutoCloseable {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyMMddHHmm");
    private static final int ATTEMPTS = 150;

    private final SmppSimulator simulator;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "smpp-simulator-receipts");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, List<SimulatedSubmit>> partial = new ConcurrentHashMap<>();
    private volatile long delayMs;
    private volatile boolean enabled = true;
    private volatile boolean reversed;
    private volatile boolean tlvs;
    private volatile int failPart;

    SmppSimulatorReceipts(SmppSimulator simulator, long delayMs) {
        this.simulator = simulator;
        this.delayMs = delayMs;
    }

    public SmppSimulatorReceipts enabled(boolean on) {
        enabled = on;
        return this;
    }

    /** A long message's receipts last part first. */
    public SmppSimulatorReceipts reversed(boolean on) {
        reversed = on;
        return this;
    }

    public SmppSimulatorReceipts withTlvs(boolean on) {
        tlvs = on;
        return this;
    }

    /** The part with this sequence number (1 for a single message) is UNDELIV; 0: every part is delivered. */
    public SmppSimulatorReceipts failPart(int sequence) {
        failPart = sequence;
        return this;
    }

    public SmppSimulatorReceipts delayMs(long millis) {
        delayMs = millis;
        return this;
    }

    void submitted(SimulatedSubmit part) {
        if (!enabled) {
            return;
        }
        List<SimulatedSubmit> complete;
        if (part.total() <= 1) {
            complete = List.of(part);
        } else {
            List<SimulatedSubmit> parts = partial.computeIfAbsent(part.group(), k -> Collections.synchronizedList(new ArrayList<>()));
            synchronized (parts) {
                parts.add(part);
                if (parts.size() < part.total()) {
                    return;
                }
                partial.remove(part.group());
                complete = new ArrayList<>(parts);
            }
        }
        List<SimulatedSubmit> ordered = new ArrayList<>(complete);
        ordered.sort((a, b) -> reversed ? b.sequence() - a.sequence() : a.sequence() - b.sequence());
        scheduler.schedule(() -> ordered.forEach(p -> send(p, 1)), delayMs, TimeUnit.MILLISECONDS);
    }

    private void send(SimulatedSubmit part, int attempt) {
        boolean failed = failPart == part.sequence();
        String stat = failed ? "UNDELIV" : "DELIVRD";
        String now = LocalDateTime.now().format(DATE);
        String text = "id:" + part.smscMessageId() + " sub:001 dlvrd:" + (failed ? "000" : "001") + " submit date:" + now
                + " done date:" + now + " stat:" + stat + " err:" + (failed ? "001" : "000") + " text:";
        OptionalParameter[] parameters = tlvs ? new OptionalParameter[] {
                new OptionalParameter.COctetString(OptionalParameter.Tag.RECEIPTED_MESSAGE_ID.code(), part.smscMessageId()),
                new OptionalParameter.Byte(OptionalParameter.Tag.MESSAGE_STATE.code(), (byte) (failed ? 5 : 2))}
                : new OptionalParameter[0];
        try {
            simulator.receiving(part.systemId()).deliverShortMessage("", TypeOfNumber.INTERNATIONAL,
                    NumberingPlanIndicator.ISDN, part.destination(), TypeOfNumber.valueOf(part.sourceTon()),
                    NumberingPlanIndicator.UNKNOWN, part.source(),
                    new ESMClass(MessageMode.DEFAULT, MessageType.SMSC_DEL_RECEIPT, GSMSpecificFeature.DEFAULT),
                    (byte) 0, (byte) 0, new RegisteredDelivery(0), new RawDataCoding((byte) 0),
                    text.getBytes(StandardCharsets.US_ASCII), parameters);
        } catch (Exception e) {
            // no receiving bind now (dropped, or not bound yet): tried again a little later
            if (attempt < ATTEMPTS && !scheduler.isShutdown()) {
                scheduler.schedule(() -> send(part, attempt + 1), 200, TimeUnit.MILLISECONDS);
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
