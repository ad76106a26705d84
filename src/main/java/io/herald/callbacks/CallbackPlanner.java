package io.herald.callbacks;

import io.herald.api.cosmos.CosmosMessages;
import io.herald.api.cosmos.CosmosMessages.CosmosMessage;
import io.herald.sms.PriceList;
import io.herald.status.StatusRecorder;
import io.herald.store.Batch;
import io.herald.store.Channel;
import io.herald.store.DispatchRepository;
import io.herald.store.MessageRepository;
import io.herald.store.MessageSpool;
import io.herald.store.MessageStatus;
import io.herald.store.StoredMessage;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides which callbacks a message's final state gives, and stores them in the transaction that writes that state
 * ({@link StatusRecorder}): the COSMOS request's {@code callback} and the account's webhook. Once that transaction
 * committed, the webhook's dispatch summary is stored if this was the last message of its dispatch to become final,
 * and the ids of every callback stored go on the exchange ({@link StatusRecorder#CALLBACKS}), whose route's next step,
 * {@code direct:post-callbacks} (callbacks.camel.yaml), queues them for posting. Each callback is stored
 * once, whatever repeats the report (a key per message and target).
 * <p>
 * A message's status events are thus gathered in its own row (its status, moved by conditional updates only), not in
 * an aggregation repository: nothing is held per message waiting for its report, in memory or in another table.
 */
public class CallbackPlanner implements StatusRecorder.Callbacks {
    private static final Logger LOG = LoggerFactory.getLogger(CallbackPlanner.class);

    private final MessageRepository messages;
    private final DispatchRepository dispatches;
    private final CallbackRepository callbacks;
    private final WebhookRepository webhooks;
    private final CosmosMessages cosmosMessages;
    private final CallbackTargets targets;
    private final PriceList prices;
    private final MessageSpool spool;
    private final Duration lookBack;

    public CallbackPlanner(MessageRepository messages, DispatchRepository dispatches, MessageSpool spool,
                           CallbackRepository callbacks, WebhookRepository webhooks, CosmosMessages cosmosMessages, CallbackTargets targets, PriceList prices,
                           Duration lookBack) {
        this.messages = messages;
        this.dispatches = dispatches;
        this.spool = spool;
        this.callbacks = callbacks;
        this.webhooks = webhooks;
        this.cosmosMessages = cosmosMessages;
        this.targets = targets;
        this.prices = prices;
        this.lookBack = lookBack;
    }

    @Override
    public Plan prepare(StoredMessage message) {
        Optional<CosmosMessage> cosmos = targets.isCosmos(message) ? cosmosMessages.find(message.id()) : Optional.empty();
        String callbackUrl = cosmos.map(CosmosMessage::callbackUrl).orElse(null);
        String webhookUrl = webhooks.url(message.accountId()).orElse(null);
        if (callbackUrl == null && webhookUrl == null) {
            return null;
        }
        BigDecimal price = cosmos.map(CosmosMessage::price)
                .orElseGet(() -> message.channel() == Channel.SMS ? prices.priceOf(message.recipient()) : BigDecimal.ZERO);
        return new Plan() {
            @Override
            public List<Long> store(Batch batch, MessageStatus status) throws SQLException {
                return storeMessageCallbacks(batch.connection(), message, status, callbackUrl, webhookUrl, price);
            }

            @Override
            public List<Long> committed(List<Long> stored) {
                List<Long> due = new ArrayList<>(stored);
                if (webhookUrl != null) {
                    try {
                        summary(message, webhookUrl).ifPresent(due::add);
                    } catch (RuntimeException e) {
                        LOG.warn("The summary of dispatch {} was not stored: {}", message.dispatchId(), e.getMessage());
                    }
                }
                return due;
            }
        };
    }

    private List<Long> storeMessageCallbacks(Connection c, StoredMessage message, MessageStatus status, String callbackUrl,
                                             String webhookUrl, BigDecimal price) throws SQLException {
        String body = CallbackBodies.message(status, message.recipient(), message.id(), price, OffsetDateTime.now(ZoneOffset.UTC));
        List<Long> created = new ArrayList<>(2);
        if (callbackUrl != null) {
            callbacks.insertIfAbsent(c, "message:" + message.id() + ":callback", message.accountId(), message.id(),
                    message.dispatchId(), CallbackBodies.MESSAGE_EVENT, callbackUrl, body).ifPresent(created::add);
        }
        if (webhookUrl != null) {
            callbacks.insertIfAbsent(c, "message:" + message.id() + ":webhook", message.accountId(), message.id(),
                    message.dispatchId(), CallbackBodies.MESSAGE_EVENT, webhookUrl, body).ifPresent(created::add);
        }
        return created;
    }

    /**
     * The webhook's summary of the message's dispatch, stored when every message of it is final: none is still spooled
     * (messages still to be stored) or on its way. Read after the message's final state committed, so of the last
     * messages of a dispatch to become final, at least the last to commit sees them all final. The spool is read
     * first: a spool row goes in the transaction that stores its messages, so counts read after a look that found none
     * spooled include every message of the dispatch.
     */
    private Optional<Long> summary(StoredMessage message, String webhookUrl) {
        if (spool.spooled(message.dispatchId())) {
            return Optional.empty();
        }
        Map<MessageStatus, Long> counts = dispatches.statusCounts(message.dispatchId());
        if (!counts.keySet().stream().allMatch(MessageStatus::isFinal)) {
            return Optional.empty();
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return callbacks.jdbc().inTransaction(c -> callbacks.insertIfAbsent(c, "dispatch:" + message.dispatchId() + ":webhook",
                message.accountId(), null, message.dispatchId(), CallbackBodies.DISPATCH_EVENT, webhookUrl,
                CallbackBodies.dispatch(message.dispatchId(), counts, now)));
    }

    /**
     * After a start: final messages (within the look-back) that need a callback but have none stored get their
     * callbacks now. Their final state and callbacks are stored together, so this finds only what a database restored
     * from before a change, or a webhook set while their state was written, left behind.
     */
    public int replayUnplanned(Exchange exchange) {
        List<String> ids = callbacks.finalMessagesWithoutCallbacks(OffsetDateTime.now(ZoneOffset.UTC).minus(lookBack));
        List<Long> due = new ArrayList<>();
        for (String id : ids) {
            messages.find(id).ifPresent(message -> {
                Plan plan = prepare(message);
                if (plan != null) {
                    due.addAll(plan.committed(callbacks.jdbc().inTransaction(c -> plan.store(new Batch(c), message.status()))));
                }
            });
        }
        exchange.setProperty(StatusRecorder.CALLBACKS, due);
        if (!ids.isEmpty()) {
            LOG.info("Stored the callbacks of {} final messages that had none", ids.size());
        }
        return ids.size();
    }
}
