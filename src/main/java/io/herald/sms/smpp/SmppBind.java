package io.herald.sms.smpp;

import org.jsmpp.bean.BindType;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.SessionState;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.Session;
import org.jsmpp.session.SessionStateListener;
import org.jsmpp.session.connection.socket.SSLSocketConnectionFactory;
import org.jsmpp.session.connection.socket.SocketConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One bind to an SMSC (transceiver, transmitter or receiver), kept up: bound at start, and after any drop or refusal
 * bound again with exponential backoff (herald.smpp.reconnect-initial-ms doubling up to reconnect-max-ms); jsmpp sends
 * {@code enquire_link} after enquireLinkSeconds of silence and closes a session whose link check fails.
 */
final class SmppBind implements SessionStateListener {
    private static final Logger LOG = LoggerFactory.getLogger(SmppBind.class);

    /** The transport's own settings, the same for every bind. */
    record Options(Duration responseTimeout, Duration reconnectInitial, Duration reconnectMax, int pduThreads) {
    }

    private final SmppUpstream upstream;
    private final BindType type;
    private final MessageReceiverListener receiver;
    private final ScheduledExecutorService scheduler;
    private final Options options;
    private volatile SMPPSession session;
    private volatile boolean stopped;
    private long backoffMs;

    SmppBind(SmppUpstream upstream, BindType type, MessageReceiverListener receiver, ScheduledExecutorService scheduler,
             Options options) {
        this.upstream = upstream;
        this.type = type;
        this.receiver = receiver;
        this.scheduler = scheduler;
        this.options = options;
        this.backoffMs = options.reconnectInitial().toMillis();
    }

    void start() {
        scheduler.execute(this::connect);
    }

    void stop() {
        stopped = true;
        SMPPSession s = session;
        session = null;
        if (s != null) {
            s.unbindAndClose();
        }
    }

    /** The session while it is bound, else null. */
    SMPPSession bound() {
        SMPPSession s = session;
        return s != null && s.getSessionState().isBound() ? s : null;
    }

    boolean transmits() {
        return type != BindType.BIND_RX;
    }

    private void connect() {
        if (stopped) {
            return;
        }
        SMPPSession s = new SMPPSession(upstream.tls() ? SSLSocketConnectionFactory.getInstance()
                : SocketConnectionFactory.getInstance());
        s.setTransactionTimer(options.responseTimeout().toMillis());
        s.setEnquireLinkTimer(Math.max(1, upstream.enquireLinkSeconds()) * 1000);
        s.setPduProcessorDegree(options.pduThreads());
        if (receiver != null) {
            s.setMessageReceiverListener(receiver);
        }
        try {
            s.connectAndBind(upstream.host(), upstream.port(), new BindParameter(type, upstream.systemId(),
                    upstream.password(), upstream.systemType(), TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null),
                    options.responseTimeout().toMillis());
        } catch (Exception e) {
            s.close();
            LOG.warn("SMPP upstream {}: {} failed ({}); again in {} ms", upstream.name(), type, e.getMessage(), backoffMs);
            retryLater();
            return;
        }
        session = s;
        s.addSessionStateListener(this);
        if (stopped) {
            stop();
            return;
        }
        backoffMs = options.reconnectInitial().toMillis();
        LOG.info("SMPP upstream {}: {} bound to {}:{}", upstream.name(), type, upstream.host(), upstream.port());
        if (!s.getSessionState().isBound()) {
            onStateChange(SessionState.CLOSED, SessionState.OPEN, s);
        }
    }

    @Override
    public void onStateChange(SessionState newState, SessionState oldState, Session source) {
        if (newState == SessionState.CLOSED && source == session && !stopped) {
            session = null;
            LOG.warn("SMPP upstream {}: {} lost; binding again in {} ms", upstream.name(), type, backoffMs);
            retryLater();
        }
    }

    private synchronized void retryLater() {
        long delay = backoffMs;
        backoffMs = Math.min(backoffMs * 2, options.reconnectMax().toMillis());
        if (!stopped && !scheduler.isShutdown()) {
            scheduler.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
        }
    }
}
