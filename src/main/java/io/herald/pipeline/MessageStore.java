package io.herald.pipeline;

import io.herald.api.ApiError;
import io.herald.security.Principal;
import io.herald.status.MessageMetrics;
import io.herald.store.AccountRepository;
import io.herald.store.Batch;
import io.herald.store.Campaign;
import io.herald.store.GroupCommit;
import io.herald.store.H2Files;
import io.herald.store.DispatchRepository;
import io.herald.store.Jdbc;
import io.herald.store.MessageRepository;
import io.herald.store.MessageSpool;
import io.herald.store.MessageStatus;
import io.herald.store.StoreException;
import io.herald.store.StoredMessage;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Consumer;

/**
 * (Longer than 250 lines: one request's {@link Intake} - limit reservation, spooling or group commit, the answer - is
 * one transaction whose steps share its state.)
 * <p>
 * Stores the accepted messages of one request in one transaction, within the account's message limit,
 * and answers the per-recipient result. Nothing is answered before this commit.
 * <p>
 * The request is stored batch by batch, so that a 100,000-recipient dispatch is never held whole as objects:
 * {@link #begin}, then per batch of {@link #batches} {@link #storeBatch}, then {@link #commit}. Every batch goes into
 * the same transaction; a failure rolls it back (at once when storing fails, else when the exchange ends).
 * Messages of a request scheduled for later are stored SCHEDULED (the release-scheduled route makes them ACCEPTED
 * when their time comes), the others ACCEPTED; the feeder hands ACCEPTED messages to delivery. A recipient with a
 * card number gets a CRM record in the same transaction as its message.
 * <p>
 * A tracked dispatch (Messaging API) is answered without message ids, so its accepted messages are spooled instead:
 * each batch becomes one {@link MessageSpool} row in the request's transaction, and the call is answered once they
 * are durable; {@link SpoolExpansion} then stores each row as messages after the answer. The bulk of the cost of a
 * 100,000-recipient call (a message row, its event and index entries each) is thus paid after the answer.
 */
public class MessageStore {
    public static final String INTAKE = "heraldIntake";
    /** Recipients validated, rendered and stored at a time. */
    public static final int BATCH_SIZE = 500;
    /** About the most characters of content one spool row holds (a batch of large messages takes several rows). */
    static final long SPOOL_ROW_CHARS = 4_000_000;

    private static final Logger LOG = LoggerFactory.getLogger(MessageStore.class);
    /** Set by {@link #commit}: the messages stored QUEUED, for the hand-over route to put on the delivery queue. */
    public static final String HAND_OVER = "heraldHandOver";
    /** Set with {@link #HAND_OVER} when those messages were claimed for delivery with their insert: until when. */
    public static final String CLAIMED_UNTIL = "heraldHandOverClaimedUntil";

    /** Whether the request just committed stored messages QUEUED, for the hand-over route. */
    public static boolean handsOver(Exchange exchange) {
        return exchange.getProperty(HAND_OVER) != null;
    }

    private final Jdbc jdbc;
    private final DispatchRepository dispatches;
    private final MessageWriter writer;
    private final GroupCommit writes;
    private final MessageSpool spool;
    private final AccountRepository accounts;
    private final MessageMetrics metrics;
    private final ClaimOnInsert claimOnInsert;

    /**
     * Messages stored QUEUED are claimed for delivery by {@code instance} for {@code lease} with their insert: for an
     * in-memory delivery queue, which only this instance consumes (never for a shared one such as Kafka).
     */
    public record ClaimOnInsert(String instance, Duration lease) {
    }

    /**
     * {@code writer}: writes the messages with their CRM and dialect records; {@code claimOnInsert}: null when the
     * delivery queue is shared (Kafka).
     */
    public MessageStore(Jdbc jdbc, DispatchRepository dispatches, MessageWriter writer, GroupCommit writes,
                        MessageSpool spool, AccountRepository accounts, MessageMetrics metrics, ClaimOnInsert claimOnInsert) {
        this.claimOnInsert = claimOnInsert;
        this.jdbc = jdbc;
        this.dispatches = dispatches;
        this.writer = writer;
        this.writes = writes;
        this.spool = spool;
        this.accounts = accounts;
        this.metrics = metrics;
    }

    /** Starts storing a request; its transaction opens with the first batch and ends with the exchange at the latest. */
    public void begin(SendRequest request, Exchange exchange, @ExchangeProperty(CampaignResolver.CAMPAIGN) Campaign campaign) {
        Intake intake = new Intake(request, campaign, request.dialect(), OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS));
        exchange.setProperty(INTAKE, intake);
        exchange.setProperty(SendRequest.DIALECT, request.dialect());
        io.herald.observe.RequestLog.sending(exchange, request.dialect());
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                intake.close();
            }
        });
    }

    /** The request's recipients in batches of {@link #BATCH_SIZE}, read lazily. */
    public Iterator<List<Recipient>> batches(SendRequest request) {
        Iterator<Recipient> recipients = request.allRecipients().iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return recipients.hasNext();
            }

            @Override
            public List<Recipient> next() {
                if (!recipients.hasNext()) {
                    throw new NoSuchElementException();
                }
                List<Recipient> batch = new ArrayList<>(BATCH_SIZE);
                while (batch.size() < BATCH_SIZE && recipients.hasNext()) {
                    batch.add(recipients.next());
                }
                return batch;
            }
        };
    }

    /** Stores one batch of validated, rendered recipients, in request order, within the account's message limit. */
    public void storeBatch(List<Outcome> outcomes, @ExchangeProperty(INTAKE) Intake intake) {
        try {
            intake.store(outcomes);
        } catch (SQLException e) {
            intake.close();
            throw new StoreException(e);
        } catch (RuntimeException e) {
            intake.close();
            throw e;
        }
    }

    /** Initialises the dispatch, commits, and answers the per-recipient result. */
    public AcceptResult commit(@ExchangeProperty(INTAKE) Intake intake, Exchange exchange) {
        AcceptResult result;
        try {
            result = intake.commit();
            if (!intake.handOver.isEmpty()) {
                exchange.setProperty(HAND_OVER, intake.handOver);
                if (intake.claimedUntil != null) {
                    exchange.setProperty(CLAIMED_UNTIL, intake.claimedUntil);
                }
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        } finally {
            intake.close();
        }
        metrics.accepted(intake.campaign.channel(), intake.acceptedCount);
        return result;
    }

    /** One request being stored: its open transaction, its dispatch, and the result so far. */
    public final class Intake {
        private final SendRequest request;
        private final Campaign campaign;
        private final String dialect;
        private final OffsetDateTime receivedAt;
        private final OffsetDateTime sendAt;
        private final boolean scheduled;
        private final List<AcceptResult.Entry> entries = new ArrayList<>();
        private final Set<String> uniqueIds = new HashSet<>();
        /** A request answered with message ids: its outcomes, written at commit in one group commit with others'. */
        private final List<Outcome> held = new ArrayList<>();
        private List<StoredMessage> handOver = List.of();
        private OffsetDateTime claimedUntil;
        private Connection connection;
        private boolean committed;
        private Long dispatchId;
        private int acceptedCount;
        private boolean limitReached;

        Intake(SendRequest request, Campaign campaign, String dialect, OffsetDateTime receivedAt) {
            this.request = request;
            this.campaign = campaign;
            this.dialect = dialect;
            this.receivedAt = receivedAt;
            OffsetDateTime at = request.scheduleAt();
            this.scheduled = at != null && at.isAfter(receivedAt);
            this.sendAt = scheduled ? at : at != null ? receivedAt.withOffsetSameInstant(at.getOffset()) : receivedAt;
        }

        void store(List<Outcome> batch) throws SQLException {
            if (!spooled()) {
                held.addAll(batch);
                return;
            }
            Principal principal = request.principal();
            List<Outcome> outcomes = batch.stream().map(this::identified).toList();
            long drafts = outcomes.stream().filter(o -> o instanceof Outcome.Draft).count();
            Connection c = connection();
            int granted = accounts.reserve(c, principal.accountId(), (int) drafts);
            if (granted > 0 || request.trackedDispatch()) {
                dispatch(c);
            }
            List<SpooledMessage> accepted = new ArrayList<>(granted);
            for (Outcome outcome : outcomes) {
                if (outcome instanceof Outcome.Draft draft && accepted.size() < granted) {
                    accepted.add(SpooledMessage.of(draft, withoutParams(draft.recipient())));
                }
            }
            answer(outcomes, accepted, store(c, accepted));
        }

        /** The answer's entries for these outcomes, in order: the first accepted ones got these ids (null: spooled). */
        private void answer(List<Outcome> outcomes, List<SpooledMessage> accepted, List<String> messageIds) {
            Iterator<String> ids = messageIds.iterator();
            int taken = 0;
            for (Outcome outcome : outcomes) {
                if (outcome instanceof Outcome.Draft draft && taken < accepted.size()) {
                    Recipient recipient = accepted.get(taken++).recipient();
                    String id = ids.next();
                    entries.add(draft.missing().isEmpty()
                            ? new AcceptResult.Entry(recipient, id, AcceptResult.Status.OK, 0, "OK")
                            : new AcceptResult.Entry(recipient, id, AcceptResult.Status.WARNING, 0,
                                    "Missing parameters: " + String.join(", ", draft.missing())));
                } else if (outcome instanceof Outcome.Rejection rejection) {
                    entries.add(new AcceptResult.Entry(withoutParams(rejection.recipient()), null, AcceptResult.Status.ERROR,
                            rejection.code(), rejection.reason()));
                } else {
                    limitReached = true;
                    entries.add(new AcceptResult.Entry(withoutParams(outcome.recipient()), null, AcceptResult.Status.ERROR,
                            ApiError.MESSAGE_LIMIT.code(), ApiError.MESSAGE_LIMIT.message()));
                }
            }
        }

        /** Spools a tracked dispatch's accepted messages (no ids yet: its answer names none); answers a null id each. */
        private List<String> store(Connection c, List<SpooledMessage> batch) throws SQLException {
            if (batch.isEmpty()) {
                return List.of();
            }
            acceptedCount += batch.size();
            MessageStatus status = scheduled ? MessageStatus.SCHEDULED : MessageStatus.ACCEPTED;
            for (List<SpooledMessage> run : SpooledMessage.runs(batch, SPOOL_ROW_CHARS)) {
                spool.insert(c, dispatchId, status, detail(), run.size(), SpooledMessage.write(run));
            }
            return Collections.nCopies(batch.size(), null);
        }

        private String detail() {
            return scheduled ? "accepted, scheduled for " + sendAt.toInstant() : "accepted";
        }

        /**
         * Writes a request answered with message ids (CO-SENDER, COSMOS) in one group commit with every other request
         * being written at that moment: the message limit reserved, the dispatch with its final values, the messages
         * (QUEUED, to be handed to delivery at once, unless scheduled), their events, CRM and dialect records.
         */
        private AcceptResult commitHeld() {
            int drafts = (int) held.stream().filter(o -> o instanceof Outcome.Draft).count();
            Written written = drafts == 0 ? Written.NONE : writes.write(b -> {
                Written[] out = {Written.NONE};
                accounts.reserve(b, request.principal().accountId(), drafts, granted -> place(b, granted, w -> out[0] = w));
                return () -> out[0];
            });
            dispatchId = written.dispatchId();
            acceptedCount = written.accepted().size();
            answer(held, written.accepted(), written.placed().ids());
            committed = true;
            if (!scheduled) {
                handOver = written.placed().rows();
            }
            return new AcceptResult(campaign, dispatchId, entries, sendAt, scheduled && acceptedCount > 0, false);
        }

        /** The first {@code granted} drafts, stored under a new dispatch; {@code written} hears what was written. */
        private void place(Batch b, int granted, Consumer<Written> written) {
            if (granted == 0) {
                return;
            }
            List<SpooledMessage> accepted = new ArrayList<>(granted);
            for (Outcome outcome : held) {
                if (outcome instanceof Outcome.Draft draft && accepted.size() < granted) {
                    accepted.add(SpooledMessage.of(draft, withoutParams(draft.recipient())));
                }
            }
            Principal principal = request.principal();
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            MessageRepository.Claim claim = scheduled || claimOnInsert == null ? null
                    : new MessageRepository.Claim(claimOnInsert.instance(), receivedAt.plus(claimOnInsert.lease()));
            claimedUntil = claim == null ? null : claim.until();
            dispatches.addDispatch(b, principal.accountId(), campaign.id(), principal.keyId(), dialect, principal.sandbox(),
                    held.size(), granted, receivedAt, scheduled, sendAt, scheduled ? null : now, dispatch -> {
                        MessageStatus status = scheduled ? MessageStatus.SCHEDULED : MessageStatus.QUEUED;
                        MessageWriter.Placed placed = writer.place(b, new MessageWriter.Placement(principal.accountId(),
                                dispatch, campaign.id(), principal.sandbox(), dialect, status, detail(), receivedAt, sendAt,
                                claim), accepted);
                        written.accept(new Written(dispatch, accepted, placed));
                    });
        }

        /** Whether this request's messages are spooled and stored as messages later (see {@link SpoolExpansion}). */
        boolean spooled() {
            return request.trackedDispatch();
        }

        AcceptResult commit() throws SQLException {
            if (!spooled()) {
                return commitHeld();
            }
            Connection c = connection();
            if (request.trackedDispatch()) {
                dispatch(c);
            }
            if (dispatchId != null) {
                String error = acceptedCount > 0 ? null : limitReached ? ApiError.MESSAGE_LIMIT.message() : "No valid recipients";
                dispatches.initialiseDispatch(c, dispatchId, receivedAt, entries.size(), acceptedCount, scheduled && acceptedCount > 0,
                        sendAt, error);
            }
            c.commit();
            H2Files.write(c);
            committed = true;
            return new AcceptResult(campaign, dispatchId, entries, sendAt, scheduled && acceptedCount > 0,
                    spooled() && acceptedCount > 0);
        }

        /** Ends the transaction, if open: what was not committed is rolled back. */
        void close() {
            if (connection == null) {
                return;
            }
            try (Connection c = connection) {
                if (!committed) {
                    c.rollback();
                }
            } catch (SQLException e) {
                LOG.warn("Could not end the transaction of a send request", e);
            } finally {
                connection = null;
            }
        }

        /** A tracked dispatch's recipients are identified by uniqueId: the first one with an id is it, later ones are duplicates. */
        private Outcome identified(Outcome outcome) {
            String uniqueId = outcome.recipient().uniqueId();
            boolean first = uniqueId != null && uniqueIds.add(uniqueId);
            if (first || outcome instanceof Outcome.Rejection) {
                return outcome;
            }
            return new Outcome.Rejection(outcome.recipient(), ApiError.INVALID_FIELD.code(),
                    uniqueId == null ? "uniqueId is required" : "Duplicate uniqueId " + uniqueId);
        }

        private Connection connection() throws SQLException {
            if (connection == null) {
                Connection c = jdbc.dataSource().getConnection();
                c.setAutoCommit(false);
                connection = c;
            }
            return connection;
        }

        private void dispatch(Connection c) throws SQLException {
            if (dispatchId == null) {
                Principal principal = request.principal();
                dispatchId = dispatches.insertDispatch(c, principal.accountId(), campaign.id(), principal.keyId(), dialect,
                        principal.sandbox(), 0, 0);
            }
        }

    }

    /** What a group commit stored for one request. */
    private record Written(Long dispatchId, List<SpooledMessage> accepted, MessageWriter.Placed placed) {
        static final Written NONE = new Written(null, List.of(), new MessageWriter.Placed(List.of(), List.of()));
    }

    private static Recipient withoutParams(Recipient r) {
        return new Recipient(r.address(), r.email(), r.mobile(), r.uniqueId(), r.cardNumber(), Map.of(), r.callbackUrl());
    }
}
