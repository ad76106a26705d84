package io.herald.status;

import io.herald.delivery.DeliveryLoader;
import io.herald.sms.routing.SmsRouter;
import io.herald.store.Batch;
import io.herald.store.GroupCommit;
import io.herald.store.MessageRepository;
import io.herald.store.MessageStatus;
import io.herald.store.StoredMessage;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import static io.herald.store.MessageStatus.ACCEPTED;
import static io.herald.store.MessageStatus.QUEUED;
import static io.herald.store.MessageStatus.SENT;

/**
 * Applies status changes to messages: the one place where SENT, DELIVERED, NOT_DELIVERED and FAILED are written.
 * Every change is a conditional update from the states it may leave (a late or repeated report never moves a message
 * backwards), written in a group commit with the other delivery writes of the moment. A final state and the callbacks
 * it gives ({@link Callbacks}) are stored in the same transaction, so a final state never lacks its callbacks, and a
 * repeated report plans none twice.
 */
public class StatusRecorder {
    public static final String MESSAGE_ID = "heraldMessageId";
    /** The ids of the callbacks a final state just committed gave, for {@code direct:post-callbacks} to queue. */
    public static final String CALLBACKS = "heraldCallbacks";

    /** The callbacks a final state just gave ({@link #CALLBACKS}), taken off the exchange to be queued once. */
    @SuppressWarnings("unchecked")
    public static List<Long> takeCallbacks(Exchange exchange) {
        List<Long> ids = exchange.getProperty(CALLBACKS, List.class);
        exchange.removeProperty(CALLBACKS);
        return ids == null ? List.of() : ids;
    }

    /** The delivery-status callbacks a final state gives (the callbacks module provides them). */
    public interface Callbacks {
        /** What the message's final state will give, read before it is written; null when it can give no callback. */
        Plan prepare(StoredMessage message);

        /** The callbacks of one message's final state. */
        interface Plan {
            /** Stores them, in the transaction that writes the final state; answers their ids. */
            List<Long> store(Batch batch, MessageStatus status) throws SQLException;

            /** After that commit: the callbacks to post, what was stored and what the commit made due besides. */
            List<Long> committed(List<Long> stored);
        }
    }

    /** One conditional status change of a unit. */
    private record Step(Collection<MessageStatus> from, MessageStatus to, String detail, String providerMessageId,
                        String upstream) {
        Step(Collection<MessageStatus> from, MessageStatus to, String detail, String providerMessageId) {
            this(from, to, detail, providerMessageId, null);
        }
    }

    /** What a unit changed: which steps moved the message, and the callbacks stored. */
    private static final class Changes {
        final boolean[] moved;
        final List<Long> callbacks = new ArrayList<>();

        Changes(int steps) {
            moved = new boolean[steps];
        }
    }

    private final MessageRepository messages;
    private final GroupCommit writes;
    private final MessageMetrics metrics;
    private final Callbacks callbacks;

    public StatusRecorder(MessageRepository messages, GroupCommit writes, MessageMetrics metrics, Callbacks callbacks) {
        this.messages = messages;
        this.writes = writes;
        this.metrics = metrics;
        this.callbacks = callbacks;
    }

    /** An upstream took the message: SENT, with the upstream's id for it and the upstream's name (SPEC §6). */
    public void sent(StoredMessage message, String providerMessageId, String detail, String upstream) {
        if (write(message, null, false, new Step(List.of(ACCEPTED, QUEUED), SENT, detail, providerMessageId, upstream))
                .moved[0]) {
            metrics.sent(message.channel(), message.id());
        }
    }

    /**
     * The SMTP relay took the message. Email has no later delivery report, so the relay's acceptance is the last
     * thing Herald can know: the message is recorded SENT and then DELIVERED, with that said in the detail.
     */
    public void emailAccepted(@ExchangeProperty(DeliveryLoader.MESSAGE) StoredMessage message, Exchange exchange) {
        delivered(exchange, message, false, null, "accepted by the SMTP relay",
                "SMTP relay accepted the message (no later report for email)");
    }

    /** The sandbox transport's delivery: recorded, SENT and DELIVERED (a synthetic report), in one write. */
    public void sandboxDelivered(StoredMessage message, Exchange exchange) {
        delivered(exchange, message, true, "sandbox-" + message.id(), "recorded by the sandbox transport",
                "synthetic delivery report (sandbox)");
    }

    private void delivered(Exchange exchange, StoredMessage message, boolean sandbox, String providerMessageId,
                           String sentDetail, String deliveredDetail) {
        Callbacks.Plan plan = callbacks.prepare(message);
        Changes changes = write(message, plan, sandbox,
                new Step(List.of(ACCEPTED, QUEUED), SENT, sentDetail, providerMessageId,
                        exchange.getProperty(SmsRouter.UPSTREAM, String.class)),
                new Step(List.of(SENT), MessageStatus.DELIVERED, deliveredDetail, null));
        if (changes.moved[0]) {
            metrics.sent(message.channel(), message.id());
        }
        if (changes.moved[1]) {
            metrics.delivered(message.channel());
            committed(exchange, plan, changes);
        }
    }

    /**
     * After the commit of a final state: the callbacks to post go on the exchange ({@link #CALLBACKS}), for the route's
     * next step, {@code direct:post-callbacks} (callbacks.camel.yaml).
     */
    private static void committed(Exchange exchange, Callbacks.Plan plan, Changes changes) {
        if (plan != null) {
            exchange.setProperty(CALLBACKS, plan.committed(changes.callbacks));
        }
    }

    /** A delivery report (the provider's): a SENT message becomes DELIVERED or NOT_DELIVERED. */
    public boolean report(StatusReport report, Exchange exchange) {
        StoredMessage message = messages.find(report.messageId()).orElse(null);
        if (message == null) {
            return false;
        }
        Callbacks.Plan plan = callbacks.prepare(message);
        Changes changes = write(message, plan, false, new Step(List.of(SENT), report.status(), report.detail(), null));
        if (changes.moved[0]) {
            if (report.status() == MessageStatus.DELIVERED) {
                metrics.delivered(message.channel());
            } else {
                metrics.notDelivered(message.channel());
            }
            committed(exchange, plan, changes);
        }
        return true;
    }

    /** Marks the exchange's message FAILED with the reason of the exception that ended its delivery. */
    public void failed(Exchange exchange, @ExchangeProperty(MESSAGE_ID) String messageId) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = cause == null ? "delivery failed" : describe(cause);
        messages.find(messageId).ifPresent(message -> {
            Callbacks.Plan plan = callbacks.prepare(message);
            Changes changes = write(message, plan, false,
                    new Step(List.of(ACCEPTED, QUEUED, SENT), MessageStatus.FAILED, reason, null));
            if (changes.moved[0]) {
                metrics.failed(message.channel());
                committed(exchange, plan, changes);
            }
        });
    }

    /**
     * Writes the steps in one unit of the delivery group commit (first the sandbox transport's record of the message,
     * when {@code sandboxRecord}); a final state that moved stores its callbacks in the same transaction.
     */
    private Changes write(StoredMessage message, Callbacks.Plan plan, boolean sandboxRecord, Step... steps) {
        return writes.write(b -> {
            Changes changes = new Changes(steps.length);
            if (sandboxRecord) {
                messages.addSandboxDelivery(b, message);
            }
            for (int i = 0; i < steps.length; i++) {
                Step step = steps[i];
                int index = i;
                messages.transition(b, message.id(), step.from(), step.to(), step.detail(), step.providerMessageId(), step.upstream(), changed -> {
                    changes.moved[index] = changed == 1;
                    if (changed == 1 && step.to().isFinal() && plan != null) {
                        changes.callbacks.addAll(plan.store(b, step.to()));
                    }
                });
            }
            return () -> changes;
        });
    }

    public static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }
}
