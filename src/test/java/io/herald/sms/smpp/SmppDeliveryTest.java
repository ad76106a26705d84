package io.herald.sms.smpp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Tenant;
import io.herald.tools.SimulatedSubmit;
import io.herald.tools.SmppSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SMS over SMPP end to end: the real application, with a routing table naming one smpp upstream, submits to a real
 * SMSC on jsmpp's server API ({@link SmppSimulator}), which answers, throttles, drops and sends receipts and
 * mobile-originated messages as each test scripts it; the messages come through CO-SENDER, COSMOS and the Messaging
 * API. Over 250 lines: the SMPP cases of issue 15 share one application, one SMSC and one callback receiver (each start
 * costs seconds on this box).
 */
class SmppDeliveryTest {
    @TempDir
    static Path data;
    static SmppSimulator smsc;
    static HeraldApp app;
    static Tenant tenant;
    static HttpServer hooks;
    static final List<String[]> callbacks = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        smsc = new SmppSimulator(HeraldApp.freePort(), 20);
        Path table = data.resolve("routing.json");
        Files.writeString(table, """
                {"upstreams": [{"name": "smsc-a", "kind": "smpp", "host": "127.0.0.1", "port": %d, "systemId": "herald",
                  "password": "secret", "systemType": "", "bind": "transceiver", "window": 60, "tps": 0,
                  "enquireLinkSeconds": 5, "longMessages": "udh"}],
                 "rules": [{"match": {}, "upstreams": ["smsc-a"]}]}""".formatted(smsc.port()));
        hooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hooks.createContext("/", exchange -> {
            String event = exchange.getRequestHeaders().getFirst("X-Herald-Event");
            callbacks.add(new String[] {event, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                    exchange.getRequestURI().getPath()});
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        hooks.start();
        int port = HeraldApp.freePort();
        app = HeraldApp.start(data, port, Map.of(
                "herald.sms.routing-file", table.toString(),
                "herald.public-url", "http://localhost:" + port,
                "herald.callbacks.allow-private", "true",
                "herald.callbacks.poll-interval-ms", "200",
                "herald.delivery.concurrency", "64",
                "herald.smpp.response-timeout-ms", "3000",
                "herald.smpp.reconnect-initial-ms", "100",
                "herald.smpp.throttle-backoff-ms", "50"));
        tenant = app.newTenant("{\"name\":\"Over SMPP\"}", false);
        app.tenant("PUT", "/v1/webhook", tenant.apiKey(),
                "{\"url\":\"http://127.0.0.1:" + hooks.getAddress().getPort() + "/hook\"}").expect(200);
        awaitBound();
    }

    @AfterAll
    static void stop() throws IOException {
        if (app != null) {
            app.close();
        }
        if (smsc != null) {
            smsc.close();
        }
        if (hooks != null) {
            hooks.stop(0);
        }
    }

    @BeforeEach
    void defaults() {
        smsc.holdThenDrop(0);
        smsc.throttleNext(0);
        smsc.receipts().enabled(true).reversed(false).failPart(0).withTlvs(false).delayMs(20);
    }

    @Test
    void gsmTextGoesAsOneSubmitWithDataCodingZeroAndIsDeliveredByItsReceipt() {
        String id = send("Herald", "Hello from Herald: 10€ {ok}", "+306936860001").get(0);

        JsonNode message = app.awaitStatus(tenant, id, "DELIVERED");
        assertThat(statuses(message)).containsExactly("ACCEPTED", "QUEUED", "SENT", "DELIVERED");
        assertThat(message.path("upstream").asText()).isEqualTo("smsc-a");
        List<SimulatedSubmit> submits = submitsTo("306936860001");
        assertThat(submits).hasSize(1);
        SimulatedSubmit submit = submits.get(0);
        assertThat(submit.text()).isEqualTo("Hello from Herald: 10€ {ok}");
        assertThat(submit.dataCoding()).isEqualTo((byte) 0);
        assertThat(submit.source()).isEqualTo("Herald");
        assertThat(submit.sourceTon()).isEqualTo((byte) 5);
        assertThat(submit.destinationTon()).isEqualTo((byte) 1);
        assertThat(submit.registeredDelivery()).isEqualTo((byte) 1);
        assertThat(submit.systemId()).isEqualTo("herald");
    }

    @Test
    void aCosmosSmsGoesOverSmppAndGetsOneCallback() {
        String text = "COSMOS over SMPP " + UUID.randomUUID();
        ObjectNode request = HeraldApp.JSON.createObjectNode().put("api_key", tenant.apiKey())
                .put("api_secret", tenant.apiSecret()).put("to", "033334445566771").put("from", "Cosmos")
                .put("text", text).put("callback", "http://127.0.0.1:" + hooks.getAddress().getPort() + "/cosmos");
        JsonNode answer = app.send("POST", "/v1.0/sms/", "application/json", request.toString(), Map.of()).expect(200).json();
        assertThat(answer.get("status").asText()).as(answer.toString()).isEqualTo("ok");
        String id = answer.get("message_id").asText();

        app.awaitStatus(tenant, id, "DELIVERED");
        List<SimulatedSubmit> submits = smsc.answered().stream().filter(s -> s.text().equals(text)).toList();
        assertThat(submits).hasSize(1);
        assertThat(submits.get(0).source()).isEqualTo("Cosmos");
        // one to the request's callback URL, one to the account's webhook: one each
        awaitCallbacks(id, 2);
        HeraldApp.sleep(500);
        assertThat(callbacks.stream().filter(c -> c[1].contains(id)).map(c -> c[0] + " " + c[2]))
                .containsExactlyInAnyOrder("message_status /cosmos", "message_status /hook");
    }

    @Test
    void aMessagingApiSendMessagesSmsGoesOverSmppAndIsDeliveredByItsReceipt() {
        String code = "MAPI-" + UUID.randomUUID().toString().substring(0, 8);
        long template = app.activeCampaign(tenant, "{\"name\":\"mapi-" + UUID.randomUUID() + "\",\"channel\":\"SMS\","
                + "\"from\":\"Shop\",\"text\":\"Your code %recipient.voucherCode%\"}").get("id").asLong();
        ObjectNode request = HeraldApp.JSON.createObjectNode().put("templateId", template);
        request.putArray("recipients").addObject().put("uniqueId", "customer-1").put("mobilePhone", "+306936860008")
                .putObject("payload").put("voucherCode", code);
        JsonNode answer = app.tenant("POST", "/api/SendMessages", tenant.apiKey(), request.toString()).expect(200).json();
        assertThat(answer.get("totalRecipientsSent").asInt()).as(answer.toString()).isEqualTo(1);
        app.awaitSpoolDrained(answer.get("dispatch").asLong());
        List<List<Object>> rows = app.query("SELECT id FROM message WHERE dispatch_id = ?", answer.get("dispatch").asLong());
        assertThat(rows).hasSize(1);
        String id = (String) rows.get(0).get(0);

        JsonNode message = app.awaitStatus(tenant, id, "DELIVERED");
        assertThat(statuses(message)).containsExactly("ACCEPTED", "QUEUED", "SENT", "DELIVERED");
        assertThat(message.path("upstream").asText()).isEqualTo("smsc-a");
        List<SimulatedSubmit> submits = submitsTo("306936860008");
        assertThat(submits).hasSize(1);
        assertThat(submits.get(0).text()).isEqualTo("Your code " + code);
        assertThat(submits.get(0).source()).isEqualTo("Shop");
    }

    @Test
    void ucs2TextGoesWithDataCodingEightFromANumericSender() {
        smsc.receipts().withTlvs(true);
        String id = send("+306900000000", "Καλημέρα κόσμε", "+306936860002").get(0);

        app.awaitStatus(tenant, id, "DELIVERED");
        SimulatedSubmit submit = submitsTo("306936860002").get(0);
        assertThat(submit.text()).isEqualTo("Καλημέρα κόσμε");
        assertThat(submit.dataCoding()).isEqualTo((byte) 8);
        assertThat(submit.source()).isEqualTo("306900000000");
        assertThat(submit.sourceTon()).isEqualTo((byte) 1);
    }

    @Test
    void threePartsWhoseReceiptsArriveOutOfOrderGiveOneDeliveredAndOneCallback() {
        smsc.receipts().reversed(true).delayMs(300);
        String text = "Part of a long message. ".repeat(16).trim();
        String id = send("Herald", text, "+306936860003").get(0);

        JsonNode message = app.awaitStatus(tenant, id, "DELIVERED");
        assertThat(statuses(message)).containsExactly("ACCEPTED", "QUEUED", "SENT", "DELIVERED");
        List<SimulatedSubmit> parts = submitsTo("306936860003");
        assertThat(parts).extracting(SimulatedSubmit::sequence).containsExactlyInAnyOrder(1, 2, 3);
        assertThat(parts).allSatisfy(p -> assertThat(p.total()).isEqualTo(3));
        assertThat(parts.stream().map(SimulatedSubmit::reference).distinct()).hasSize(1);
        assertThat(parts.stream().sorted((a, b) -> a.sequence() - b.sequence()).map(SimulatedSubmit::text)
                .collect(Collectors.joining())).isEqualTo(text);
        SmppParts stored = app.context().getRegistry().lookupByNameAndType("smppParts", SmppParts.class);
        assertThat(stored.of(id)).extracting(SmppParts.Part::state).containsExactly("DELIVRD", "DELIVRD", "DELIVRD");
        assertThat(awaitCallbacks(id, 1)).hasSize(1);
        HeraldApp.sleep(700);
        assertThat(callbacksFor(id)).hasSize(1);
    }

    @Test
    void oneFailedPartMakesTheMessageNotDeliveredOnce() {
        smsc.receipts().failPart(2).delayMs(100);
        String id = send("Herald", "x".repeat(400), "+306936860004").get(0);

        JsonNode message = app.awaitStatus(tenant, id, "NOT_DELIVERED");
        assertThat(statuses(message)).containsExactly("ACCEPTED", "QUEUED", "SENT", "NOT_DELIVERED");
        assertThat(message.get("events").get(3).get("detail").asText()).contains("UNDELIV");
        assertThat(awaitCallbacks(id, 1)).hasSize(1);
        HeraldApp.sleep(700);
        assertThat(callbacksFor(id)).hasSize(1);
        assertThat(app.tenant("GET", "/v1/messages/" + id, tenant.apiKey(), null).json().get("status").asText())
                .isEqualTo("NOT_DELIVERED");
    }

    @Test
    void aBindDroppedWithFiftySubmitsInTheWindowDeliversEachExactlyOnceAfterTheReconnect() throws Exception {
        int binds = smsc.bindsAccepted();
        smsc.holdThenDrop(50);
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            numbers.add("+3069368611" + String.format("%02d", i));
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 50; i += 10) {
            // CO-SENDER takes up to 10 messages a request
            ids.addAll(send("Herald", "Windowed", numbers.subList(i, i + 10).toArray(String[]::new)));
        }
        assertThat(smsc.awaitDrop(20_000)).as("50 submits were outstanding at once, then the bind dropped").isTrue();

        for (String id : ids) {
            app.awaitMessage(tenant, id, m -> "DELIVERED".equals(m.get("status").asText()), Duration.ofSeconds(60));
        }
        assertThat(smsc.bindsAccepted()).isGreaterThan(binds);
        for (String number : numbers) {
            assertThat(submitsTo(number.substring(1))).as(number).hasSize(1);
        }
        assertThat(metric("herald_smpp_resends_total")).isGreaterThanOrEqualTo(50);
    }

    @Test
    void throttlingBacksOffAndThenSucceeds() {
        double before = metric("herald_smpp_throttles_total");
        smsc.throttleNext(3);
        String id = send("Herald", "Slowly", "+306936860005").get(0);

        app.awaitStatus(tenant, id, "DELIVERED");
        assertThat(smsc.throttled()).isGreaterThanOrEqualTo(3);
        assertThat(submitsTo("306936860005")).hasSize(1);
        assertThat(metric("herald_smpp_throttles_total") - before).isGreaterThanOrEqualTo(3);
    }

    @Test
    void stopOverSmppBlacklistsTheNumber() throws Exception {
        String id = send("Shop", "Sale today", "+306936860006").get(0);
        app.awaitStatus(tenant, id, "DELIVERED");

        smsc.sendMo("306936860006", "Shop", " Stop ");
        long deadline = System.currentTimeMillis() + 10_000;
        while (!blacklisted("+306936860006") && System.currentTimeMillis() < deadline) {
            HeraldApp.sleep(50);
        }
        assertThat(blacklisted("+306936860006")).isTrue();
        smsc.sendMo("306936860007", "Shop", "hello");
        assertThat(blacklisted("+306936860007")).isFalse();
    }

    // --- helpers --------------------------------------------------------------------------------------

    private static void awaitBound() {
        long deadline = System.currentTimeMillis() + 10_000;
        while (smsc.bound() == 0 && System.currentTimeMillis() < deadline) {
            HeraldApp.sleep(20);
        }
        assertThat(smsc.bound()).as("Herald bound to the SMSC").isPositive();
    }

    /** Sends one text from a sender to the numbers in one CO-SENDER request; answers the message ids. */
    private static List<String> send(String from, String text, String... numbers) {
        ObjectNode campaign = HeraldApp.JSON.createObjectNode().put("name", "smpp-" + UUID.randomUUID())
                .put("channel", "SMS").put("from", from).put("text", text);
        String code = app.activeCampaign(tenant, campaign.toString()).get("code").asText();
        ObjectNode body = HeraldApp.JSON.createObjectNode().put("code", code);
        ArrayNode messages = body.putArray("messages");
        for (String number : numbers) {
            messages.addObject().put("recipient", number);
        }
        JsonNode answer = app.tenant("POST", "/v1/messages", tenant.apiKey(), body.toString()).expect(200).json();
        List<String> ids = new ArrayList<>();
        answer.get("messages").forEach(m -> ids.add(m.get("messageId").asText()));
        assertThat(ids).as(answer.toString()).hasSize(numbers.length).doesNotContain("null");
        return ids;
    }

    private static List<SimulatedSubmit> submitsTo(String destination) {
        return smsc.answered().stream().filter(s -> s.destination().equals(destination)).toList();
    }

    private static List<String> statuses(JsonNode message) {
        List<String> out = new ArrayList<>();
        message.get("events").forEach(e -> out.add(e.get("status").asText()));
        return out;
    }

    private static List<String> callbacksFor(String id) {
        return callbacks.stream().filter(c -> "message_status".equals(c[0]) && c[1].contains(id)).map(c -> c[1]).toList();
    }

    private static List<String> awaitCallbacks(String id, int count) {
        long deadline = System.currentTimeMillis() + 20_000;
        while (callbacksFor(id).size() < count && System.currentTimeMillis() < deadline) {
            HeraldApp.sleep(25);
        }
        return callbacksFor(id);
    }

    private static boolean blacklisted(String number) {
        for (JsonNode n : app.tenant("GET", "/v1/blacklist", tenant.apiKey(), null).expect(200).json().get("numbers")) {
            if (number.equals(n.get("number").asText())) {
                return true;
            }
        }
        return false;
    }

    private static double metric(String name) {
        String text = app.send("GET", "/observe/metrics", null, null, Map.of()).body();
        return text.lines().filter(l -> l.startsWith(name + "{") && l.contains("upstream=\"smsc-a\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
