package io.herald.delivery;

import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * Open SMTP connections to one relay, each used for many mails instead of one connection per mail. At most
 * {@code size} are open at once (a sender waits for one to be free); one left idle for the idle timeout is closed.
 * <p>
 * Failures keep the classification they have on a connection of their own: a connection whose send failed is closed,
 * never reused, and the failure is the caller's unchanged. The one exception is a reused connection that the relay
 * had closed meanwhile (a restart, its own idle timeout, a limit of mails per connection): it fails before the mail is
 * handed over, with end of stream, an I/O error or a 421 reply, and the mail is then sent at once on a fresh
 * connection, whose outcome, success or failure, is the caller's.
 */
final class SmtpConnectionPool {
    private static final Logger LOG = LoggerFactory.getLogger(SmtpConnectionPool.class);
    private static final int SERVICE_CLOSING = 421;

    /**
     * Opens one connection to the relay, authenticated when credentials are configured; a failure comes out already
     * classified (a {@link TransientDeliveryException} or {@link PermanentDeliveryException}).
     */
    @FunctionalInterface
    interface Connector {
        Transport connect();
    }

    private record Idle(Transport transport, long since) {
    }

    private final String relay;
    private final Connector connector;
    private final long idleTimeoutNanos;
    private final Semaphore permits;
    private final Deque<Idle> idle = new ArrayDeque<>();
    private boolean closed;

    SmtpConnectionPool(String relay, Connector connector, int size, Duration idleTimeout) {
        if (size < 1) {
            throw new IllegalArgumentException("SMTP pool size must be at least 1: " + size);
        }
        this.relay = relay;
        this.connector = connector;
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.permits = new Semaphore(size, true);
    }

    void send(MimeMessage message) throws MessagingException {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MessagingException("interrupted while waiting for an SMTP connection to " + relay, e);
        }
        try {
            Transport reused = takeIdle();
            if (reused != null) {
                try {
                    sendOn(reused, message);
                    return;
                } catch (MessagingException e) {
                    if (!closedByRelay(e)) {
                        throw e;
                    }
                    LOG.debug("SMTP connection to {} was closed by the relay ({}); sending on a fresh one", relay, e.getMessage());
                }
            }
            sendOn(connector.connect(), message);
        } finally {
            permits.release();
        }
    }

    /** Sends on the connection and gives it back to the pool; a connection whose send failed is closed. */
    private void sendOn(Transport transport, MimeMessage message) throws MessagingException {
        try {
            transport.sendMessage(message, message.getAllRecipients());
        } catch (MessagingException | RuntimeException e) {
            quietlyClose(transport);
            throw e;
        }
        giveBack(transport);
    }

    /** The most recently used idle connection, or null; idle connections past the timeout are closed on the way. */
    private Transport takeIdle() {
        List<Transport> expired = new ArrayList<>();
        Transport found = null;
        long now = System.nanoTime();
        synchronized (this) {
            while (found == null && !idle.isEmpty()) {
                Idle candidate = idle.pollFirst();
                if (now - candidate.since() >= idleTimeoutNanos) {
                    expired.add(candidate.transport());
                } else {
                    found = candidate.transport();
                }
            }
        }
        expired.forEach(SmtpConnectionPool::quietlyClose);
        return found;
    }

    private void giveBack(Transport transport) {
        synchronized (this) {
            if (!closed) {
                idle.offerFirst(new Idle(transport, System.nanoTime()));
                return;
            }
        }
        quietlyClose(transport);
    }

    /** Closes the connections idle for the idle timeout or longer. */
    void closeIdleConnections() {
        List<Transport> expired = new ArrayList<>();
        long now = System.nanoTime();
        synchronized (this) {
            while (!idle.isEmpty() && now - idle.peekLast().since() >= idleTimeoutNanos) {
                expired.add(idle.pollLast().transport());
            }
        }
        expired.forEach(SmtpConnectionPool::quietlyClose);
    }

    /** Closes every idle connection; connections in use are closed when they are given back. */
    void close() {
        List<Transport> all = new ArrayList<>();
        synchronized (this) {
            closed = true;
            idle.forEach(i -> all.add(i.transport()));
            idle.clear();
        }
        all.forEach(SmtpConnectionPool::quietlyClose);
    }

    /**
     * The relay had closed the connection before this mail: the stream ended or broke, or the relay answered 421
     * (closing the transmission channel), on any command of the transaction.
     */
    static boolean closedByRelay(MessagingException failure) {
        return SmtpReplies.brokenConnection(failure) || SmtpReplies.replies(failure).stream()
                .anyMatch(reply -> reply.code() == SmtpReplies.END_OF_STREAM || reply.code() == SERVICE_CLOSING);
    }

    private static void quietlyClose(Transport transport) {
        try {
            transport.close();
        } catch (MessagingException | RuntimeException e) {
            LOG.debug("closing an SMTP connection failed: {}", e.getMessage());
        }
    }
}
