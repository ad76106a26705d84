package io.herald.edge;

import io.herald.edge.fuzz.CoSenderCampaignsFuzz;
import io.herald.edge.fuzz.CoSenderMessagesFuzz;
import io.herald.edge.fuzz.CosmosSmsFuzz;
import io.herald.edge.fuzz.Dialect;
import io.herald.edge.fuzz.FuzzBudget;
import io.herald.edge.fuzz.FuzzFixture;
import io.herald.edge.fuzz.FuzzRequest;
import io.herald.edge.fuzz.MessagingApiFuzz;
import io.herald.edge.fuzz.OperatorApiFuzz;
import io.herald.edge.fuzz.Tally;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-based fuzzing of the HTTP edge (issue 6): for each dialect, at least {@code -Dherald.fuzz.count} (default
 * 10,000) generated malformed requests against one running Herald over real HTTP. Every request is malformed by construction — broken
 * JSON, wrong types, nulls, huge numbers, deep nesting, huge strings, control characters, CR/LF in string fields,
 * unicode edge cases, wrong methods, paths and content types, bad, missing and revoked credentials, Idempotency-Key
 * misuse, bodies over the limit — except a few sent valid on purpose. Each malformed one must get a 4xx in the
 * dialect's format within the per-request timeout (never a 5xx, never a hang); afterwards the database holds exactly
 * the messages of the valid requests, and no account, key or campaign changed. Each dialect prints how many
 * requests it sent and the distribution of answers ({@code FUZZ ...} lines).
 *
 * <p>Out of scope, because the HTTP server answers them before any route runs: requests that are not HTTP,
 * request lines or headers over the server's limits (414, 431), bodies over {@code herald.http.max-body-size},
 * invalid percent-escapes in the path, and {@code HEAD}, whose answers have no body.
 *
 * <p>To fuzz another dialect: implement {@link Dialect} (generator + answer check) and add a property here:
 * <pre>
 * &#64;Property(generation = GenerationMode.RANDOMIZED, edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.BOUNDED)
 * &#64;AddLifecycleHook(FuzzBudget.class)
 * void cosmos(&#64;ForAll("cosmosRequests") FuzzRequest request) { send(COSMOS, request); }
 * &#64;Provide Arbitrary&lt;FuzzRequest&gt; cosmosRequests() { return COSMOS.requests(fixture); }
 * </pre>
 */
class FuzzTest {
    static final Dialect CO_SENDER_MESSAGES = new CoSenderMessagesFuzz();
    static final Dialect CO_SENDER_CAMPAIGNS = new CoSenderCampaignsFuzz();
    static final Dialect OPERATOR_API = new OperatorApiFuzz();
    static final Dialect MESSAGING_API = new MessagingApiFuzz();
    static final Dialect COSMOS_SMS = new CosmosSmsFuzz();

    static FuzzFixture fixture;
    static final List<Tally> tallies = new ArrayList<>();
    Tally tally;

    @BeforeContainer
    static void start() {
        fixture = FuzzFixture.start();
    }

    @AfterContainer
    static void stop() {
        System.out.println("FUZZ total: " + tallies.stream().mapToInt(Tally::requests).sum() + " requests, "
                + fixture.expectedMessageCount() + " messages stored, all validly requested");
        fixture.close();
    }

    @Property(generation = GenerationMode.RANDOMIZED, edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.BOUNDED)
    @AddLifecycleHook(FuzzBudget.class)
    void coSenderMessages(@ForAll("coSenderMessagesRequests") FuzzRequest request) {
        send(CO_SENDER_MESSAGES, request);
    }

    @Provide
    Arbitrary<FuzzRequest> coSenderMessagesRequests() {
        return CO_SENDER_MESSAGES.requests(fixture);
    }

    @Property(generation = GenerationMode.RANDOMIZED, edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.BOUNDED)
    @AddLifecycleHook(FuzzBudget.class)
    void coSenderCampaigns(@ForAll("coSenderCampaignsRequests") FuzzRequest request) {
        send(CO_SENDER_CAMPAIGNS, request);
    }

    @Provide
    Arbitrary<FuzzRequest> coSenderCampaignsRequests() {
        return CO_SENDER_CAMPAIGNS.requests(fixture);
    }

    @Property(generation = GenerationMode.RANDOMIZED, edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.BOUNDED)
    @AddLifecycleHook(FuzzBudget.class)
    void operatorApi(@ForAll("operatorApiRequests") FuzzRequest request) {
        send(OPERATOR_API, request);
    }

    @Provide
    Arbitrary<FuzzRequest> operatorApiRequests() {
        return OPERATOR_API.requests(fixture);
    }

    @Property(generation = GenerationMode.RANDOMIZED, edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.BOUNDED)
    @AddLifecycleHook(FuzzBudget.class)
    void messagingApi(@ForAll("messagingApiRequests") FuzzRequest request) {
        send(MESSAGING_API, request);
    }

    @Provide
    Arbitrary<FuzzRequest> messagingApiRequests() {
        return MESSAGING_API.requests(fixture);
    }

    @Property(generation = GenerationMode.RANDOMIZED, edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.BOUNDED)
    @AddLifecycleHook(FuzzBudget.class)
    void cosmosSms(@ForAll("cosmosSmsRequests") FuzzRequest request) {
        send(COSMOS_SMS, request);
    }

    @Provide
    Arbitrary<FuzzRequest> cosmosSmsRequests() {
        return COSMOS_SMS.requests(fixture);
    }

    private void send(Dialect dialect, FuzzRequest request) {
        if (tally == null) {
            tally = new Tally(dialect.name());
            tallies.add(tally);
        }
        fixture.run(dialect, tally, request);
    }

    @AfterProperty
    void nothingHappenedThatWasNotValidlyRequested() {
        if (tally != null) {
            System.out.println(tally.report());
            if (tally.failures() == 0) {
                assertThat(tally.malformed()).as("malformed requests sent").isGreaterThanOrEqualTo(FuzzBudget.malformedCount());
            }
        }
        fixture.assertNothingHappenedUnasked();
    }
}
