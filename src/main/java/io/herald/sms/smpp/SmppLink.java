package io.herald.sms.smpp;

import io.herald.delivery.PermanentDeliveryException;
import io.herald.delivery.TransientDeliveryException;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RawDataCoding;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.SMPPSession;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The binds of one smpp upstream and the way a part goes over them: at most {@code window} submit_sm outstanding per
 * bind (a submit is sent as soon as a permit is free and waits for its submit_sm_resp on a thread of its own), at most
 * {@code tps} a second (0: no ceiling). ESME_RTHROTTLED and ESME_RMSGQFUL back off (herald.smpp.throttle-backoff-ms,
 * doubling) and try again, herald.smpp.throttle-retries times before the message goes back to the delivery retries. A
 * submit whose submit_sm_resp never came (the bind dropped, or no answer in time) is sent again over the next bind
 * that is up, within herald.smpp.resend-wait-ms; one that got its submit_sm_resp is never sent again.
 */
final class SmppLink {
    /** Transport settings about submitting. */
    record Pacing(Duration resendWait, Duration throttleBackoff, int throttleRetries) {
    }

    private static final int ESME_RTHROTTLED = 0x58;
    private static final int ESME_RMSGQFUL = 0x14;
    /** Statuses the SMSC may answer otherwise later: system error, submit failed, unable to process. */
    private static final List<Integer> TRANSIENT = List.of(0x08, 0x45, 0x64, 0x65);

    final SmppUpstream upstream;
    private final List<SmppBind> binds = new ArrayList<>();
    private final Semaphore window;
    /** Messages being submitted at once: as many as the window holds, so a full window holds back the deliveries. */
    private final Semaphore messages;
    private final Pacing pacing;
    private final ExecutorService workers;
    private final AtomicLong submits = new AtomicLong();
    private final AtomicLong throttles = new AtomicLong();
    private final AtomicLong resends = new AtomicLong();
    private long nextSlotNanos;
    private int nextBind;

    SmppLink(SmppUpstream upstream, MessageReceiverListener receiver, ScheduledExecutorService scheduler,
             SmppBind.Options options, Pacing pacing) {
        this.upstream = upstream;
        this.pacing = pacing;
        for (int i = 0; i < Math.max(1, upstream.binds()); i++) {
            if (upstream.transceiver()) {
                binds.add(new SmppBind(upstream, BindType.BIND_TRX, receiver, scheduler, options));
            } else {
                binds.add(new SmppBind(upstream, BindType.BIND_TX, null, scheduler, options));
                binds.add(new SmppBind(upstream, BindType.BIND_RX, receiver, scheduler, options));
            }
        }
        int transmitters = (int) binds.stream().filter(SmppBind::transmits).count();
        this.window = new Semaphore(Math.max(1, upstream.window()) * transmitters, true);
        this.messages = new Semaphore(Math.max(1, upstream.window()) * transmitters, true);
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "smpp-" + upstream.name());
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        binds.forEach(SmppBind::start);
    }

    void stop() {
        binds.forEach(SmppBind::stop);
        workers.shutdownNow();
    }

    /**
     * Runs a message's submission on a thread of this upstream once a place is free (the caller waits for it: a full
     * window holds back the delivery threads instead of piling up messages).
     */
    void execute(Runnable submission) {
        messages.acquireUninterruptibly();
        try {
            workers.execute(() -> {
                try {
                    submission.run();
                } finally {
                    messages.release();
                }
            });
        } catch (RuntimeException e) {
            messages.release();
            throw e;
        }
    }

    boolean bound() {
        return transmitter() != null;
    }

    int boundCount() {
        return (int) binds.stream().filter(b -> b.bound() != null).count();
    }

    int windowInUse() {
        int transmitters = (int) binds.stream().filter(SmppBind::transmits).count();
        return Math.max(1, upstream.window()) * transmitters - window.availablePermits();
    }

    long submits() {
        return submits.get();
    }

    long throttles() {
        return throttles.get();
    }

    long resends() {
        return resends.get();
    }

    /** Sends one part and answers the SMSC's message id for it; the calling thread waits for the submit_sm_resp. */
    String submit(String source, String destination, byte dataCoding, SmppText.Part part) {
        long giveUp = System.nanoTime() + pacing.resendWait().toNanos();
        int throttled = 0;
        while (true) {
            SMPPSession session = transmitter();
            if (session == null) {
                if (System.nanoTime() > giveUp) {
                    throw new TransientDeliveryException("SMPP upstream " + upstream.name() + " is not bound");
                }
                pause(100);
                continue;
            }
            Integer refused = null;
            window.acquireUninterruptibly();
            try {
                pace();
                submits.incrementAndGet();
                return session.submitShortMessage("", ton(source), npi(source), source, TypeOfNumber.INTERNATIONAL,
                        NumberingPlanIndicator.ISDN, destination, new ESMClass(part.esmClass()), (byte) 0, (byte) 1, null,
                        null, new RegisteredDelivery(1), (byte) 0, new RawDataCoding(dataCoding), (byte) 0,
                        part.shortMessage(), part.tlvs()).getMessageId();
            } catch (NegativeResponseException e) {
                refused = e.getCommandStatus();
            } catch (org.jsmpp.PDUException e) {
                throw new PermanentDeliveryException("SMPP upstream " + upstream.name() + ": invalid submit_sm: " + e.getMessage());
            } catch (Exception e) {
                // no submit_sm_resp: the bind dropped or the SMSC did not answer in time; sent again, on any bind up
                resends.incrementAndGet();
                giveUp = System.nanoTime() + pacing.resendWait().toNanos();
            } finally {
                window.release();
            }
            if (refused != null) {
                if (refused != ESME_RTHROTTLED && refused != ESME_RMSGQFUL) {
                    String status = String.format("0x%02X", refused);
                    if (TRANSIENT.contains(refused)) {
                        throw new TransientDeliveryException("SMPP upstream " + upstream.name() + " answered " + status);
                    }
                    throw new PermanentDeliveryException("SMPP upstream " + upstream.name() + " refused the message: " + status);
                }
                throttles.incrementAndGet();
                if (++throttled > pacing.throttleRetries()) {
                    throw new TransientDeliveryException("SMPP upstream " + upstream.name() + " kept throttling");
                }
                pause(pacing.throttleBackoff().toMillis() << Math.min(throttled - 1, 6));
            }
        }
    }

    /** A bound transmitting session, taken in turn among the binds that are up. */
    private synchronized SMPPSession transmitter() {
        for (int i = 0; i < binds.size(); i++) {
            SmppBind bind = binds.get((nextBind + i) % binds.size());
            SMPPSession session = bind.transmits() ? bind.bound() : null;
            if (session != null) {
                nextBind = (nextBind + i + 1) % binds.size();
                return session;
            }
        }
        return null;
    }

    /** Waits for this submit's slot under the TPS ceiling (slots 1/tps apart, taken in order). */
    private void pace() {
        if (upstream.tps() <= 0) {
            return;
        }
        long slot;
        synchronized (this) {
            long now = System.nanoTime();
            slot = Math.max(now, nextSlotNanos);
            nextSlotNanos = slot + 1_000_000_000L / upstream.tps();
        }
        long wait = slot - System.nanoTime();
        if (wait > 0) {
            pause(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    static boolean digits(String address) {
        return address != null && !address.isEmpty() && address.chars().allMatch(Character::isDigit);
    }

    private static TypeOfNumber ton(String source) {
        return source.isEmpty() ? TypeOfNumber.UNKNOWN : digits(source) ? TypeOfNumber.INTERNATIONAL : TypeOfNumber.ALPHANUMERIC;
    }

    private static NumberingPlanIndicator npi(String source) {
        return digits(source) ? NumberingPlanIndicator.ISDN : NumberingPlanIndicator.UNKNOWN;
    }

    private static void pause(long millis) {
        pause(millis, 0);
    }

    private static void pause(long millis, int nanos) {
        try {
            Thread.sleep(millis, nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientDeliveryException("interrupted");
        }
    }
}
