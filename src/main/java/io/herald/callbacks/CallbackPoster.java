package io.herald.callbacks;

import io.herald.callbacks.CallbackRepository.Callback;
import io.herald.status.StatusRecorder;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * One callback's delivery: claimed from the outbox, signed and posted, and recorded POSTED on a 2xx answer, or
 * PARKED in the dead-letter table when retrying gave up or the address policy refused the host.
 */
public class CallbackPoster {
    public static final String CALLBACK = "heraldCallback";
    public static final String FIRST_ATTEMPT = "heraldCallbackFirstAttemptAt";
    public static final String EVENT_HEADER = "X-Herald-Event";
    private static final Logger LOG = LoggerFactory.getLogger(CallbackPoster.class);

    private final CallbackRepository callbacks;
    private final WebhookRepository webhooks;
    private final Duration lease;

    public CallbackPoster(CallbackRepository callbacks, WebhookRepository webhooks, Duration lease) {
        this.callbacks = callbacks;
        this.webhooks = webhooks;
        this.lease = lease;
    }

    /** A callback id from the queue: claimed and loaded, or null when it is not pending or another worker has it. */
    public Callback load(Long id, Exchange exchange) {
        if (id == null) {
            return null;
        }
        Callback callback = callbacks.claim(id, OffsetDateTime.now(ZoneOffset.UTC).plus(lease)).orElse(null);
        exchange.setProperty(CALLBACK, callback);
        return callback;
    }

    /** The signed POST of the stored body; the target URL goes in CamelHttpUri. */
    public void request(Exchange exchange, @ExchangeProperty(CALLBACK) Callback callback) {
        exchange.setProperty(FIRST_ATTEMPT, callbacks.beginAttempt(callback.id()));
        long timestamp = OffsetDateTime.now(ZoneOffset.UTC).toEpochSecond();
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_METHOD, "POST");
        out.setHeader(Exchange.HTTP_URI, callback.url());
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setHeader(EVENT_HEADER, callback.event());
        out.setHeader(Signatures.TIMESTAMP_HEADER, String.valueOf(timestamp));
        out.setHeader(Signatures.SIGNATURE_HEADER,
                Signatures.sign(webhooks.signingSecret(callback.accountId()), timestamp, callback.body()));
        out.setBody(callback.body());
    }

    /** 2xx ⇒ POSTED; any other answer is retried. */
    public void interpret(Exchange exchange, @ExchangeProperty(CALLBACK) Callback callback) {
        int code = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (code < 200 || code > 299) {
            throw new CallbackFailedException("callback URL answered HTTP " + code);
        }
        callbacks.markPosted(callback.id());
    }

    /** Gives the callback up into the dead-letter table, with the reason. */
    public void park(Exchange exchange, @ExchangeProperty(CALLBACK) Callback callback) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = cause == null ? "callback failed" : StatusRecorder.describe(cause);
        if (callback == null) {
            LOG.error("A callback could not be loaded: {}", reason);
            return;
        }
        callbacks.park(callback.id(), reason);
        LOG.warn("Callback {} to {} parked in the dead-letter table: {}", callback.id(), callback.url(), reason);
    }
}
