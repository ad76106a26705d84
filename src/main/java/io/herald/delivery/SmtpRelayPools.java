package io.herald.delivery;

import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.CamelContext;
import org.apache.camel.component.mail.DefaultJavaMailSender;
import org.apache.camel.component.mail.JavaMailSender;
import org.apache.camel.component.mail.MailConfiguration;
import org.apache.camel.support.service.ServiceSupport;

import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The SMTP connections camel-mail sends over: a {@link SmtpConnectionPool} per relay (protocol, host, port, user and
 * mail properties), so that {@code smtp:} endpoints reuse open connections instead of opening and closing one per
 * mail. camel-mail still builds each message from the exchange; only the connection is shared. A failed send is
 * reported as a {@link TransientDeliveryException} or a {@link PermanentDeliveryException}, by the relay's reply
 * ({@link SmtpReplies}). Install it with {@link #mailConfiguration()} as the smtp component's configuration.
 */
public class SmtpRelayPools extends ServiceSupport {
    static final String STREAM_PROVIDER = "jakarta.mail.util.StreamProvider";

    static {
        // Without this property Jakarta Mail looks its stream provider up by scanning every jar on the class path, once
        // for each message part (jakartaee/mail-api#861): about a third of its CPU when sending. Naming Angus Mail's
        // provider skips the scan; an operator's own -D setting is kept.
        if (System.getProperty(STREAM_PROVIDER) == null) {
            System.setProperty(STREAM_PROVIDER, "org.eclipse.angus.mail.util.MailStreamProvider");
        }
    }

    private record Relay(String protocol, String host, int port, String username, Properties properties) {
    }

    private final CamelContext context;
    private final int size;
    private final Duration idleTimeout;
    private final Map<Relay, SmtpConnectionPool> pools = new ConcurrentHashMap<>();
    private ScheduledExecutorService evictor;

    /**
     * @param size        connections open at most per relay ({@code herald.smtp.pool-size})
     * @param idleTimeout a connection unused this long is closed ({@code herald.smtp.idle-timeout-ms})
     */
    public SmtpRelayPools(CamelContext context, int size, Duration idleTimeout) {
        this.context = context;
        this.size = size;
        this.idleTimeout = idleTimeout;
    }

    /** camel-mail's configuration whose senders send through these pools. */
    public MailConfiguration mailConfiguration() {
        return new PooledMailConfiguration(context, this);
    }

    private SmtpConnectionPool poolFor(PooledSender sender) {
        Properties properties = new Properties();
        properties.putAll(sender.getJavaMailProperties());
        Relay relay = new Relay(sender.getProtocol(), sender.getHost(), sender.getPort(), sender.getUsername(), properties);
        return pools.computeIfAbsent(relay, r -> new SmtpConnectionPool(r.host() + ":" + r.port(), sender::connect, size, idleTimeout));
    }

    @Override
    protected void doStart() {
        long period = Math.max(1000, idleTimeout.toMillis() / 2);
        evictor = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "SmtpIdleConnections");
        evictor.scheduleWithFixedDelay(() -> pools.values().forEach(SmtpConnectionPool::closeIdleConnections),
                period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        if (evictor != null) {
            context.getExecutorServiceManager().shutdownNow(evictor);
            evictor = null;
        }
        pools.values().forEach(SmtpConnectionPool::close);
        pools.clear();
    }

    /** Copies of it (one per endpoint) keep the same pools. */
    private static final class PooledMailConfiguration extends MailConfiguration {
        private final SmtpRelayPools pools;

        PooledMailConfiguration(CamelContext context, SmtpRelayPools pools) {
            super(context);
            this.pools = pools;
        }

        @Override
        protected JavaMailSender createJavaMailSender(CamelContext context) {
            return new PooledSender(super.createJavaMailSender(context), pools);
        }
    }

    /** camel-mail's sender as configured (host, port, credentials, session properties), sending over a pooled connection. */
    private static final class PooledSender extends DefaultJavaMailSender {
        private final SmtpRelayPools pools;

        PooledSender(JavaMailSender configured, SmtpRelayPools pools) {
            this.pools = pools;
            setJavaMailProperties(configured.getJavaMailProperties());
            setHost(configured.getHost());
            setPort(configured.getPort());
            setUsername(configured.getUsername());
            setPassword(configured.getPassword());
            setAuthenticator(configured.getAuthenticator());
            setProtocol(configured.getProtocol());
            setSession(configured.getSession());
        }

        /** As camel-mail's own sender prepares a message, but over a pooled connection instead of a new one. */
        @Override
        public void send(MimeMessage message) throws MessagingException {
            if (message.getSentDate() == null) {
                message.setSentDate(new Date());
            }
            String messageId = message.getMessageID();
            message.saveChanges();
            if (messageId != null) {
                message.setHeader("Message-ID", messageId);
            }
            try {
                pools.poolFor(this).send(message);
            } catch (MessagingException e) {
                throw SmtpReplies.outcome(e);
            }
        }

        /** A new connection; a failure to open it is classified here, while the transport still holds the reply. */
        Transport connect() {
            Transport transport;
            try {
                transport = getTransport(getSession());
            } catch (MessagingException e) {
                throw SmtpReplies.outcome(e);
            }
            PasswordAuthentication credentials = getPasswordAuthentication();
            try {
                transport.connect(getHost(), getPort(), credentials.getUserName(), credentials.getPassword());
            } catch (MessagingException e) {
                throw SmtpReplies.connectOutcome(e, transport);
            }
            return transport;
        }
    }
}
