package io.herald.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Tenant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Relay replies over pooled connections, against a scripted relay, classified like the SMS provider's answers: a 4xx
 * reply at any stage or a broken connection is retried with the delivery backoff, a 5xx is FAILED at once with the
 * relay's reply as the reason, and a relay that takes only a few mails per connection (421 on the next MAIL FROM)
 * costs no retry.
 */
class SmtpRelayRepliesTest {
    private static final int MAILS_PER_CONNECTION = 3;

    @RegisterExtension
    @Order(1)
    static final ScriptedRelay relay = ScriptedRelay.perClass();
    @RegisterExtension
    @Order(2)
    static final HeraldApp app = HeraldApp.perClass(port -> Map.of(
            "herald.smtp.host", "127.0.0.1",
            "herald.smtp.port", String.valueOf(relay.port()),
            "herald.smtp.pool-size", "1",
            "herald.smtp.idle-timeout-ms", "3600000",
            // retries come due within a poll; HeraldApp already makes their backoff 100-400 ms
            "herald.delivery.poll-interval-ms", "100",
            // a relay that stops answering is given up on soon (the scripted relay otherwise answers at once)
            "herald.smtp.timeout-ms", "3000",
            "herald.public-url", "http://localhost:" + port));
    static Tenant tenant;
    static String campaign;

    @BeforeAll
    static void start() throws IOException {
        tenant = app.newTenant("{\"name\":\"Scripted\"}", false);
        campaign = app.activeCampaign(tenant, "{\"name\":\"scripted\",\"channel\":\"EMAIL\",\"from\":\"news@acme.com\","
                + "\"subject\":\"Hi\",\"text\":\"Hi\"}").get("code").asText();
    }

    @AfterEach
    void everyScriptedReplyWasUsed() {
        assertThat(relay.unusedScript()).as("scripted replies the relay never gave").isEmpty();
    }

    @Test
    void aRefusedRecipientFailsAtOnceWithTheRelaysReplyAndTheNextMailIsDelivered() {
        String refused = EmailDeliveryTest.send(app, tenant, campaign, "refuse-me@example.com", Map.of());
        JsonNode failed = app.awaitStatus(tenant, refused, "FAILED");
        assertThat(EmailDeliveryTest.statuses(failed)).containsExactly("ACCEPTED", "QUEUED", "FAILED");
        assertThat(EmailDeliveryTest.retryEvents(failed)).isZero();
        assertThat(lastDetail(failed)).contains("550 5.1.1 no such user").contains("RCPT TO");
        assertThat(relay.recipientAttempts("refuse-me@example.com")).isEqualTo(1);
        assertThat(relay.deliveries("refuse-me@example.com")).isZero();

        String next = EmailDeliveryTest.send(app, tenant, campaign, "after-refusal@example.com", Map.of());
        JsonNode delivered = app.awaitStatus(tenant, next, "DELIVERED");
        assertThat(EmailDeliveryTest.statuses(delivered)).containsExactly("ACCEPTED", "QUEUED", "SENT", "DELIVERED");
        assertThat(relay.deliveries("after-refusal@example.com")).isEqualTo(1);
    }

    @Test
    void aGreylistedRecipientIsRetriedUntilTheRelayTakesIt() {
        relay.script(Stage.RCPT, "451 4.7.1 greylisted, try again later", "451 4.7.1 greylisted, try again later");
        String id = EmailDeliveryTest.send(app, tenant, campaign, "greylisted@example.com", Map.of());

        JsonNode delivered = app.awaitStatus(tenant, id, "DELIVERED");
        assertThat(EmailDeliveryTest.retryEvents(delivered)).isEqualTo(2);
        assertThat(SmsDeliveryTest.retryDetails(delivered))
                .allSatisfy(d -> assertThat(d).contains("451 4.7.1 greylisted").contains("RCPT TO"));
        assertThat(relay.recipientAttempts("greylisted@example.com")).isEqualTo(3);
        assertThat(relay.deliveries("greylisted@example.com")).isEqualTo(1);
    }

    @Test
    void aRecipientDeferredPastTheRetryPeriodFailsWithTheLastReply(@TempDir Path otherData) {
        int port = HeraldApp.freePort();
        try (HeraldApp impatient = HeraldApp.start(otherData, port, Map.of(
                "herald.smtp.host", "127.0.0.1",
                "herald.smtp.port", String.valueOf(relay.port()),
                "herald.delivery.poll-interval-ms", "100",
                "herald.retry.give-up-after", "PT1S",
                "herald.public-url", "http://localhost:" + port))) {
            Tenant t = impatient.newTenant("{\"name\":\"Impatient\"}", false);
            String code = impatient.activeCampaign(t, "{\"name\":\"impatient\",\"channel\":\"EMAIL\",\"from\":\"news@acme.com\","
                    + "\"subject\":\"Hi\",\"text\":\"Hi\"}").get("code").asText();
            String id = EmailDeliveryTest.send(impatient, t, code, "defer-always@example.com", Map.of());

            JsonNode failed = impatient.awaitStatus(t, id, "FAILED");
            assertThat(EmailDeliveryTest.retryEvents(failed)).isGreaterThanOrEqualTo(1);
            assertThat(lastDetail(failed)).contains("451 4.7.1 deferred").contains("RCPT TO");
            assertThat(relay.recipientAttempts("defer-always@example.com")).isGreaterThanOrEqualTo(2);
            assertThat(relay.deliveries("defer-always@example.com")).isZero();
        }
    }

    /** The classification table of the README: a reply at each stage, and what becomes of the message. */
    @ParameterizedTest(name = "{0}: {1} => {3}")
    @CsvSource(delimiter = '|', value = {
            "GREETING    | 421 4.3.2 too busy, come back later                                  | connection set-up | DELIVERED",
            "MAIL        | 451 4.3.0 sender check unavailable                                   | MAIL FROM         | DELIVERED",
            "RCPT        | 450 4.2.1 mailbox busy                                               | RCPT TO           | DELIVERED",
            "RCPT        | 552 4.5.3 too many recipients (RFC 5321: temporary at RCPT)          | RCPT TO           | DELIVERED",
            "DATA        | 451 4.3.0 queue full, try later                                      | DATA              | DELIVERED",
            "END_OF_DATA | 452 4.3.1 insufficient system storage                                | end of data       | DELIVERED",
            "GREETING    | 554 5.3.2 no service for you                                         | connection set-up | FAILED",
            "MAIL        | 553 5.7.1 sender not allowed                                         | MAIL FROM         | FAILED",
            "RCPT        | 551 5.1.6 user has moved                                             | RCPT TO           | FAILED",
            "DATA        | 554 5.5.1 no data accepted from you                                  | DATA              | FAILED",
            "END_OF_DATA | 554-5.7.1 message content rejected\\r\\n554 5.7.1 contact postmaster | end of data       | FAILED"})
    void aReplyAtAnyStageIsClassifiedByItsCode(Stage stage, String reply, String stageName, String outcome) {
        String script = reply.replace("\\r\\n", "\r\n"); // a reply of two lines (a CSV row holds no line break)
        relay.dropSessions(); // a new connection: its greeting is read, and no failure is a reused connection's
        relay.script(stage, script);
        String recipient = outcome.toLowerCase(Locale.ROOT) + "-" + stage.name().toLowerCase(Locale.ROOT) + "-"
                + reply.substring(0, 3) + "@example.com";
        String id = EmailDeliveryTest.send(app, tenant, campaign, recipient, Map.of());

        JsonNode message = app.awaitStatus(tenant, id, outcome);
        boolean retried = outcome.equals("DELIVERED");
        List<String> reasons = retried ? SmsDeliveryTest.retryDetails(message) : List.of(lastDetail(message));
        assertThat(reasons).singleElement().asString().contains(script.replace("\r\n", " ")).contains("(" + stageName + ")")
                .doesNotContain("\r").doesNotContain("\n");
        assertThat(EmailDeliveryTest.retryEvents(message)).isEqualTo(retried ? 1 : 0);
        assertThat(relay.deliveries(recipient)).isEqualTo(retried ? 1 : 0);
    }

    @Test
    void aLongReplyIsCutInTheReason() {
        String reply = "550 5.7.1 " + "blocked ".repeat(100);
        relay.script(Stage.RCPT, reply.strip());
        String id = EmailDeliveryTest.send(app, tenant, campaign, "long-reply@example.com", Map.of());

        String reason = lastDetail(app.awaitStatus(tenant, id, "FAILED"));
        assertThat(reason).contains("550 5.7.1 blocked blocked").hasSizeLessThan(reply.length() / 2);
    }

    @Test
    void aRelayThatStopsAnsweringIsRetried() {
        relay.dropSessions(); // a new connection, so the timeout is the attempt's, not a reused connection's
        relay.script(Stage.END_OF_DATA, ScriptedRelay.SILENCE);
        String id = EmailDeliveryTest.send(app, tenant, campaign, "silent@example.com", Map.of());

        JsonNode delivered = app.awaitStatus(tenant, id, "DELIVERED");
        assertThat(SmsDeliveryTest.retryDetails(delivered)).singleElement().asString().contains("SocketTimeoutException");
        assertThat(relay.dataAttempts("silent@example.com")).isEqualTo(2);
        assertThat(relay.deliveries("silent@example.com")).isEqualTo(1);
    }

    @Test
    void aConnectionDroppedDuringDataIsDiscardedAndTheMailRetried() {
        relay.dropSessions(); // the mail goes over a new connection, so its failure is the attempt's, not the pool's
        relay.script(Stage.END_OF_DATA, ScriptedRelay.DROP);
        int before = relay.connections();
        String id = EmailDeliveryTest.send(app, tenant, campaign, "dropped@example.com", Map.of());

        JsonNode delivered = app.awaitStatus(tenant, id, "DELIVERED");
        assertThat(EmailDeliveryTest.retryEvents(delivered)).isEqualTo(1);
        assertThat(relay.dataAttempts("dropped@example.com")).isEqualTo(2);
        assertThat(relay.deliveries("dropped@example.com")).isEqualTo(1);
        assertThat(relay.connections() - before).as("the broken connection was not reused").isEqualTo(2);
    }

    @Test
    void aRelayThatTakesFewMailsPerConnectionCostsNoRetry() {
        int before = relay.connections();
        for (int i = 0; i < 3 * MAILS_PER_CONNECTION; i++) {
            String id = EmailDeliveryTest.send(app, tenant, campaign, "limited-" + i + "@example.com", Map.of());
            JsonNode message = app.awaitStatus(tenant, id, "DELIVERED");
            assertThat(EmailDeliveryTest.statuses(message)).as(message.toString())
                    .containsExactly("ACCEPTED", "QUEUED", "SENT", "DELIVERED");
        }
        assertThat(relay.connections() - before).isGreaterThanOrEqualTo(3);
    }

    private static String lastDetail(JsonNode message) {
        JsonNode events = message.get("events");
        return events.get(events.size() - 1).path("detail").asText();
    }

    /** The SMTP commands whose reply a test can script, and the greeting. */
    enum Stage { GREETING, MAIL, RCPT, DATA, END_OF_DATA }

    /**
     * A minimal SMTP relay: 550 for recipients starting with "refuse", 451 for those starting with "defer", and 421
     * (closing the connection) on the MAIL FROM after {@value #MAILS_PER_CONNECTION} mails on one connection. A test can
     * script the next replies of a stage ({@link #script}); at the end of data, {@link #DROP} closes the connection in
     * the middle of the message instead, and {@link #SILENCE} never answers.
     */
    static final class ScriptedRelay implements AutoCloseable, AfterAllCallback {
        static final String DROP = "drop the connection";
        static final String SILENCE = "read the message and say nothing";
        private final ServerSocket server;
        private final AtomicInteger connections = new AtomicInteger();
        private final Set<Socket> open = ConcurrentHashMap.newKeySet();
        private final Map<Stage, Queue<String>> script = new ConcurrentHashMap<>();
        private final Queue<String> recipients = new ConcurrentLinkedQueue<>();
        private final Queue<String> dataFor = new ConcurrentLinkedQueue<>();
        private final Queue<String> delivered = new ConcurrentLinkedQueue<>();

        static ScriptedRelay perClass() {
            try {
                return new ScriptedRelay();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void afterAll(ExtensionContext context) {
            close();
        }

        ScriptedRelay() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(this::accept, "scripted-relay");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        int connections() {
            return connections.get();
        }

        /** The next commands of this stage get these replies, one each, instead of the usual one. */
        void script(Stage stage, String... replies) {
            script.computeIfAbsent(stage, s -> new ConcurrentLinkedQueue<>()).addAll(List.of(replies));
        }

        List<String> unusedScript() {
            List<String> unused = new ArrayList<>();
            script.values().forEach(unused::addAll);
            return unused;
        }

        /** Closes every open connection, as a relay that restarts. */
        void dropSessions() {
            open.forEach(socket -> {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // already closed
                }
            });
        }

        int recipientAttempts(String address) {
            return count(recipients, address);
        }

        int dataAttempts(String address) {
            return count(dataFor, address);
        }

        int deliveries(String address) {
            return count(delivered, address);
        }

        private static int count(Queue<String> seen, String address) {
            return (int) seen.stream().filter(address::equals).count();
        }

        private String scripted(Stage stage, String usual) {
            String reply = script.getOrDefault(stage, new ArrayDeque<>()).poll();
            return reply == null ? usual : reply;
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    connections.incrementAndGet();
                    Thread session = new Thread(() -> converse(client), "scripted-relay-session");
                    session.setDaemon(true);
                    session.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void converse(Socket client) {
            open.add(client);
            try (client;
                 BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
                 PrintWriter out = new PrintWriter(client.getOutputStream(), true, StandardCharsets.US_ASCII)) {
                String greeting = scripted(Stage.GREETING, "220 scripted relay");
                reply(out, greeting);
                if (!greeting.startsWith("220")) {
                    return;
                }
                int mails = 0;
                String recipient = null;
                String line;
                while ((line = in.readLine()) != null) {
                    String command = line.toUpperCase();
                    if (command.startsWith("EHLO") || command.startsWith("HELO")) {
                        reply(out, "250 scripted");
                    } else if (command.startsWith("MAIL FROM")) {
                        if (mails == MAILS_PER_CONNECTION) {
                            reply(out, "421 too many mails on this connection");
                            return;
                        }
                        recipient = null;
                        reply(out, scripted(Stage.MAIL, "250 ok"));
                    } else if (command.startsWith("RCPT TO")) {
                        String address = line.substring(line.indexOf('<') + 1, line.indexOf('>'));
                        recipients.add(address);
                        String answer = scripted(Stage.RCPT, address.startsWith("refuse") ? "550 5.1.1 no such user"
                                : address.startsWith("defer") ? "451 4.7.1 deferred" : "250 ok");
                        if (answer.startsWith("250")) {
                            recipient = address;
                        }
                        reply(out, answer);
                    } else if (command.equals("DATA")) {
                        if (recipient != null) {
                            dataFor.add(recipient);
                        }
                        String go = scripted(Stage.DATA, "354 go on");
                        reply(out, go);
                        if (!go.startsWith("354")) {
                            continue;
                        }
                        String answer = scripted(Stage.END_OF_DATA, "250 queued");
                        if (answer.equals(DROP)) {
                            in.readLine();
                            return;
                        }
                        while ((line = in.readLine()) != null && !line.equals(".")) {
                            // the message itself is not looked at
                        }
                        if (answer.equals(SILENCE)) {
                            while (in.readLine() != null) {
                                // until the client gives up and closes the connection
                            }
                            return;
                        }
                        if (answer.startsWith("250") && recipient != null) {
                            mails++;
                            delivered.add(recipient);
                        }
                        reply(out, answer);
                    } else if (command.equals("QUIT")) {
                        reply(out, "221 bye");
                        return;
                    } else {
                        reply(out, "250 ok");
                    }
                }
            } catch (IOException ignored) {
                // the client went away
            } finally {
                open.remove(client);
            }
        }

        private static void reply(PrintWriter out, String line) {
            out.print(line + "\r\n");
            out.flush();
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }
}
