package io.herald.tools;

import io.herald.sms.GsmAlphabet;
import io.herald.sms.smpp.SmppText;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RawDataCoding;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.BindRequest;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.SMPPServerSessionListener;
import org.jsmpp.session.SubmitSmResult;
import org.jsmpp.util.MessageId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An SMSC for tests and for the production stack's {@code smpp-simulator} service, on jsmpp's server API. It answers
 * every bind and submit_sm, and sends delivery receipts ({@link SmppSimulatorReceipts}); its knobs make it refuse
 * binds, answer ESME_RTHROTTLED, hold a window of submit_sm unanswered and then drop the connection, fail a part, and
 * send mobile-originated messages. Over 250 lines: one SMSC whose knobs all act on the same bind and submit state
 * (split off: its receipts, its request answers, its HTTP counters). {@code main}: {@code SmppSimulator [port] [receipt-delay-ms]} (default 2775, 100).
 */
public final class SmppSimulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SmppSimulator.class);

    private final SMPPServerSessionListener listener;
    private final int port;
    private final List<SMPPServerSession> sessions = new CopyOnWriteArrayList<>();
    private final Map<SMPPServerSession, BindRequest> bindsOf = new ConcurrentHashMap<>();
    private final List<SimulatedSubmit> answered = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong(0x1000);
    private final AtomicInteger bindsAccepted = new AtomicInteger();
    private final AtomicInteger throttleNext = new AtomicInteger();
    private final AtomicInteger throttled = new AtomicInteger();
    private final SmppSimulatorReceipts receipts;
    private volatile boolean refuseBinds;
    private volatile int holdThenDrop;
    private volatile CountDownLatch dropped = new CountDownLatch(0);
    private final AtomicInteger held = new AtomicInteger();
    private volatile boolean running = true;
    private volatile boolean keepSubmits = true;
    private final long[] counts = new long[3];

    public SmppSimulator(int port, long receiptDelayMs) throws IOException {
        this.listener = new SMPPServerSessionListener(port);
        this.listener.setPduProcessorDegree(256);
        this.listener.setQueueCapacity(10_000);
        this.port = port;
        this.receipts = new SmppSimulatorReceipts(this, receiptDelayMs);
        this.listener.setMessageReceiverListener(new SmppSimulatorListener(this::submitted));
        this.listener.setSessionStateListener((now, before, session) -> {
            if (now == org.jsmpp.extra.SessionState.CLOSED) {
                sessions.remove(session);
                bindsOf.remove(session);
            }
        });
        Thread acceptor = new Thread(this::acceptLoop, "smpp-simulator-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * {@code SmppSimulator [port] [receipt-delay-ms] [control-port]}: 2775, 100 (a negative delay: no receipts), and
     * when a control port is given, {@code GET /count} ({"count","first_ms","last_ms"} of the submits answered) and
     * {@code GET /reset} there (the benchmarks' sink protocol). It keeps counts only, not the submits.
     */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 2775;
        long delay = args.length > 1 ? Long.parseLong(args[1]) : 100;
        try (SmppSimulator simulator = new SmppSimulator(port, Math.max(0, delay))) {
            simulator.keepSubmits = false;
            simulator.receipts.enabled(delay >= 0);
            if (args.length > 2) {
                SimulatorControl.start(Integer.parseInt(args[2]), simulator);
            }
            LOG.info("SMPP simulator listening on {}", simulator.port());
            Thread.currentThread().join();
        }
    }

    /** Submits answered, and when the first and the last were (epoch ms), since the start or {@link #resetCounts}. */
    public long[] counts() {
        synchronized (counts) {
            return counts.clone();
        }
    }

    public void resetCounts() {
        synchronized (counts) {
            java.util.Arrays.fill(counts, 0);
        }
    }

    public int port() {
        return port;
    }

    public SmppSimulatorReceipts receipts() {
        return receipts;
    }

    /** Binds are refused (ESME_RBINDFAIL) while on; the binds up now are dropped when it is turned on. */
    public void refuseBinds(boolean refuse) {
        refuseBinds = refuse;
        if (refuse) {
            dropAll();
        }
    }

    /** The next {@code count} submit_sm are answered ESME_RTHROTTLED. */
    public void throttleNext(int count) {
        throttleNext.set(count);
    }

    public int throttled() {
        return throttled.get();
    }

    /**
     * The next {@code count} submit_sm are held unanswered; when the last of them arrives the connection is dropped
     * (none of them answered nor counted). {@link #awaitDrop} waits for it. 0: none held (those held are let go).
     */
    public void holdThenDrop(int count) {
        held.set(0);
        CountDownLatch before = dropped;
        dropped = new CountDownLatch(count > 0 ? 1 : 0);
        holdThenDrop = count;
        before.countDown();
    }

    public boolean awaitDrop(long millis) throws InterruptedException {
        return dropped.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** The submit_sm answered with a message id, in order. */
    public List<SimulatedSubmit> answered() {
        return new ArrayList<>(answered);
    }

    public int bindsAccepted() {
        return bindsAccepted.get();
    }

    /** Binds up now, of any kind. */
    public int bound() {
        return (int) sessions.stream().filter(s -> s.getSessionState().isBound()).count();
    }

    /** Sends a mobile-originated message over a receiving bind (GSM 03.38 when it fits, else UCS-2). */
    public void sendMo(String from, String to, String text) throws Exception {
        boolean gsm = GsmAlphabet.isGsm(text);
        byte[] body = gsm ? GsmAlphabet.encode(text) : text.getBytes(StandardCharsets.UTF_16BE);
        receiving(null).deliverShortMessage("", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, from,
                TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, to, new ESMClass(), (byte) 0, (byte) 0,
                new RegisteredDelivery(0), new RawDataCoding(gsm ? SmppText.GSM : SmppText.UCS2), body);
    }

    /** A bound session that receives (transceiver or receiver), of the given system_id when not null. */
    SMPPServerSession receiving(String systemId) {
        for (SMPPServerSession session : sessions) {
            BindRequest bind = bindsOf.get(session);
            if (bind != null && session.getSessionState().isBound() && bind.getBindType() != BindType.BIND_TX
                    && (systemId == null || systemId.equals(bind.getSystemId()))) {
                return session;
            }
        }
        throw new IllegalStateException("no receiving bind" + (systemId == null ? "" : " of " + systemId));
    }

    private SubmitSmResult submitted(SubmitSm submit, SMPPServerSession session) throws ProcessRequestException {
        int hold = holdThenDrop;
        if (hold > 0) {
            int number = held.incrementAndGet();
            if (number <= hold) {
                if (number == hold) {
                    holdThenDrop = 0;
                    session.close();
                    dropped.countDown();
                } else {
                    awaitQuietly(dropped);
                }
                throw new ProcessRequestException("dropped", SMPPConstant.STAT_ESME_RSYSERR);
            }
        }
        if (throttleNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throttled.incrementAndGet();
            throw new ProcessRequestException("throttled", SMPPConstant.STAT_ESME_RTHROTTLED);
        }
        String id = Long.toHexString(ids.incrementAndGet());
        BindRequest bind = bindsOf.get(session);
        SimulatedSubmit part = SimulatedSubmit.of(submit, id, bind == null ? "" : bind.getSystemId());
        if (keepSubmits) {
            answered.add(part);
        }
        synchronized (counts) {
            long now = System.currentTimeMillis();
            counts[1] = counts[0]++ == 0 ? now : counts[1];
            counts[2] = now;
        }
        if ((submit.getRegisteredDelivery() & 0x03) != 0) {
            receipts.submitted(part);
        }
        try {
            return new SubmitSmResult(new MessageId(id), new org.jsmpp.bean.OptionalParameter[0]);
        } catch (org.jsmpp.PDUStringException e) {
            throw new ProcessRequestException(e.getMessage(), SMPPConstant.STAT_ESME_RSYSERR);
        }
    }

    private void acceptLoop() {
        while (running) {
            try {
                SMPPServerSession session = listener.accept();
                Thread binder = new Thread(() -> bind(session), "smpp-simulator-bind");
                binder.setDaemon(true);
                binder.start();
            } catch (IOException e) {
                if (running) {
                    LOG.warn("SMPP simulator: accept failed: {}", e.getMessage());
                }
            }
        }
    }

    private void bind(SMPPServerSession session) {
        try {
            BindRequest request = session.waitForBind(10_000);
            if (refuseBinds) {
                request.reject(SMPPConstant.STAT_ESME_RBINDFAIL);
                session.close();
                return;
            }
            bindsOf.put(session, request);
            sessions.add(session);
            request.accept("simulator");
            bindsAccepted.incrementAndGet();
        } catch (Exception e) {
            LOG.warn("SMPP simulator: bind failed: {}", e.getMessage());
            session.close();
        }
    }

    private void dropAll() {
        for (SMPPServerSession session : sessions) {
            session.close();
        }
        sessions.clear();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        receipts.close();
        dropAll();
        listener.close();
    }
}
