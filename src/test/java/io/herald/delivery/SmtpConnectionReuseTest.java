package io.herald.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Tenant;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Email goes to the relay (GreenMail) over reused SMTP connections. Herald talks to the relay through a small TCP
 * proxy that counts the connections opened and can drop them all, as a relay does when it restarts or times out
 * an idle client.
 */
class SmtpConnectionReuseTest {
    private static final int POOL_SIZE = 2;

    @TempDir
    static Path data;
    static int relayPort;
    static GreenMail relay;
    static CountingProxy proxy;
    static HeraldApp app;
    static Tenant tenant;
    static String campaign;

    @BeforeAll
    static void start() throws IOException {
        relayPort = HeraldApp.freePort();
        relay = startRelay();
        proxy = new CountingProxy(relayPort);
        int port = HeraldApp.freePort();
        app = HeraldApp.start(data, port, Map.of(
                "herald.smtp.host", "127.0.0.1",
                "herald.smtp.port", String.valueOf(proxy.port()),
                "herald.smtp.pool-size", String.valueOf(POOL_SIZE),
                // idle connections are not timed out during the test: every new connection has another cause
                "herald.smtp.idle-timeout-ms", "3600000",
                "herald.public-url", "http://localhost:" + port));
        tenant = app.newTenant("{\"name\":\"Pooled\"}", false);
        campaign = app.activeCampaign(tenant, "{\"name\":\"pooled\",\"channel\":\"EMAIL\",\"from\":\"news@acme.com\","
                + "\"subject\":\"Hello %recipient.name%\",\"html\":\"<p>Hi %recipient.name%</p>\",\"text\":\"Hi %recipient.name%\"}")
                .get("code").asText();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (relay != null) {
            relay.stop();
        }
    }

    @BeforeEach
    void emptyMailboxes() throws Exception {
        relay.purgeEmailFromAllMailboxes();
    }

    @Test
    void manyMailsGoOverAtMostPoolSizeConnections() {
        int before = proxy.connections();
        List<String> ids = sendMany("many", 20);
        ids.forEach(id -> assertDeliveredAtFirstAttempt(app.awaitStatus(tenant, id, "DELIVERED")));

        assertThat(relay.getReceivedMessages()).hasSize(20);
        assertThat(System.getProperty("jakarta.mail.util.StreamProvider"))
                .as("Jakarta Mail's stream provider is named, not looked up on the class path")
                .isEqualTo("org.eclipse.angus.mail.util.MailStreamProvider");
        assertThat(proxy.connections() - before).isLessThanOrEqualTo(POOL_SIZE);
    }

    @Test
    void connectionsTheRelayDroppedAreReplacedWithinTheSameAttempt() {
        sendMany("before-drop", 4).forEach(id -> app.awaitStatus(tenant, id, "DELIVERED"));
        int beforeDrop = proxy.connections();

        proxy.dropAll();
        List<String> ids = sendMany("after-drop", 4);
        ids.forEach(id -> assertDeliveredAtFirstAttempt(app.awaitStatus(tenant, id, "DELIVERED")));

        assertThat(relay.getReceivedMessages()).hasSize(8);
        assertThat(proxy.connections()).isGreaterThan(beforeDrop);
    }

    @Test
    void aRelayRestartIsSurvived() throws Exception {
        sendMany("before-restart", 4).forEach(id -> app.awaitStatus(tenant, id, "DELIVERED"));
        assertThat(relay.getReceivedMessages()).hasSize(4);

        relay.stop();
        relay = startRelay();
        List<String> ids = sendMany("after-restart", 4);
        ids.forEach(id -> assertDeliveredAtFirstAttempt(app.awaitStatus(tenant, id, "DELIVERED")));

        assertThat(relay.waitForIncomingEmail(5000, 4)).isTrue();
        assertThat(relay.getReceivedMessages()).hasSize(4);
        for (MimeMessage mail : relay.getReceivedMessages()) {
            assertThat(EmailDeliveryTest.addresses(mail.getAllRecipients())).singleElement().asString().startsWith("after-restart");
        }
    }

    private static List<String> sendMany(String prefix, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(EmailDeliveryTest.send(app, tenant, campaign, prefix + "-" + i + "@example.com", Map.of("name", "R" + i)));
        }
        return ids;
    }

    /** Delivered without a retry: a dropped connection was replaced within the attempt, not after a backoff. */
    private static void assertDeliveredAtFirstAttempt(JsonNode message) {
        assertThat(EmailDeliveryTest.statuses(message)).as(message.toString())
                .containsExactly("ACCEPTED", "QUEUED", "SENT", "DELIVERED");
    }

    private static GreenMail startRelay() {
        GreenMail greenMail = new GreenMail(new ServerSetup(relayPort, "127.0.0.1", "smtp"));
        greenMail.start();
        return greenMail;
    }

    /** Forwards each accepted connection to the relay and counts them; {@link #dropAll} closes every open one. */
    static final class CountingProxy implements AutoCloseable {
        private final ServerSocket server;
        private final int target;
        private final AtomicInteger connections = new AtomicInteger();
        private final Set<Socket> open = ConcurrentHashMap.newKeySet();

        CountingProxy(int target) throws IOException {
            this.target = target;
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(this::accept, "smtp-proxy");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        int connections() {
            return connections.get();
        }

        void dropAll() {
            open.forEach(CountingProxy::closeQuietly);
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    connections.incrementAndGet();
                    Socket upstream;
                    try {
                        upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                    } catch (IOException e) {
                        closeQuietly(client);
                        continue;
                    }
                    open.add(client);
                    open.add(upstream);
                    pipe(client, upstream);
                    pipe(upstream, client);
                } catch (IOException e) {
                    return;
                }
            }
        }

        /** Copies one direction; when either side ends, both are closed, as a relay's close reaches the client. */
        private void pipe(Socket from, Socket to) {
            Thread copier = new Thread(() -> {
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    in.transferTo(out);
                } catch (IOException ignored) {
                    // the other direction or dropAll closed the socket
                } finally {
                    closeQuietly(from);
                    closeQuietly(to);
                    open.remove(from);
                    open.remove(to);
                }
            }, "smtp-proxy-pipe");
            copier.setDaemon(true);
            copier.start();
        }

        private static void closeQuietly(Socket socket) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException ignored) {
                // already closed
            }
            dropAll();
        }
    }
}
