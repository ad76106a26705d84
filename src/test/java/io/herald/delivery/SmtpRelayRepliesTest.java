package io.herald.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Tenant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Relay replies over pooled connections, against a scripted relay: a refused recipient is still FAILED at once (as on
 * a connection of its own), and a relay that takes only a few mails per connection (421 on the next MAIL FROM) costs
 * no retry.
 */
class SmtpRelayRepliesTest {
    private static final int MAILS_PER_CONNECTION = 3;

    @TempDir
    static Path data;
    static ScriptedRelay relay;
    static HeraldApp app;
    static Tenant tenant;
    static String campaign;

    @BeforeAll
    static void start() throws IOException {
        relay = new ScriptedRelay();
        int port = HeraldApp.freePort();
        app = HeraldApp.start(data, port, Map.of(
                "herald.smtp.host", "127.0.0.1",
                "herald.smtp.port", String.valueOf(relay.port()),
                "herald.smtp.pool-size", "1",
                "herald.smtp.idle-timeout-ms", "3600000",
                "herald.public-url", "http://localhost:" + port));
        tenant = app.newTenant("{\"name\":\"Scripted\"}", false);
        campaign = app.activeCampaign(tenant, "{\"name\":\"scripted\",\"channel\":\"EMAIL\",\"from\":\"news@acme.com\","
                + "\"subject\":\"Hi\",\"text\":\"Hi\"}").get("code").asText();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void aRefusedRecipientFailsAtOnceAndTheNextMailIsDelivered() {
        String refused = EmailDeliveryTest.send(app, tenant, campaign, "refuse-me@example.com", Map.of());
        JsonNode failed = app.awaitStatus(tenant, refused, "FAILED");
        assertThat(EmailDeliveryTest.statuses(failed)).containsExactly("ACCEPTED", "QUEUED", "FAILED");
        assertThat(EmailDeliveryTest.retryEvents(failed)).isZero();

        String next = EmailDeliveryTest.send(app, tenant, campaign, "after-refusal@example.com", Map.of());
        JsonNode delivered = app.awaitStatus(tenant, next, "DELIVERED");
        assertThat(EmailDeliveryTest.statuses(delivered)).containsExactly("ACCEPTED", "QUEUED", "SENT", "DELIVERED");
        assertThat(relay.delivered()).contains("after-refusal@example.com");
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

    /**
     * A minimal SMTP relay: 550 for recipients starting with "refuse", and 421 (closing the connection) on the MAIL FROM
     * after {@value #MAILS_PER_CONNECTION} mails on one connection.
     */
    static final class ScriptedRelay implements AutoCloseable {
        private final ServerSocket server;
        private final AtomicInteger connections = new AtomicInteger();
        private final Set<String> delivered = ConcurrentHashMap.newKeySet();

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

        Set<String> delivered() {
            return delivered;
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
            try (client;
                 BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
                 PrintWriter out = new PrintWriter(client.getOutputStream(), true, StandardCharsets.US_ASCII)) {
                reply(out, "220 scripted relay");
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
                        reply(out, "250 ok");
                    } else if (command.startsWith("RCPT TO")) {
                        String address = line.substring(line.indexOf('<') + 1, line.indexOf('>'));
                        if (address.startsWith("refuse")) {
                            reply(out, "550 no such user");
                        } else {
                            recipient = address;
                            reply(out, "250 ok");
                        }
                    } else if (command.equals("DATA")) {
                        reply(out, "354 go on");
                        while ((line = in.readLine()) != null && !line.equals(".")) {
                            // the message itself is not looked at
                        }
                        mails++;
                        delivered.add(recipient);
                        reply(out, "250 queued");
                    } else if (command.equals("QUIT")) {
                        reply(out, "221 bye");
                        return;
                    } else {
                        reply(out, "250 ok");
                    }
                }
            } catch (IOException ignored) {
                // the client went away
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
