package io.herald.observe;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.support.Await;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Tenant;
import io.herald.support.SmsProviderStub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * /observe/metrics of the real application after real sends: three sandbox emails in one request (delivered), two SMS
 * in a request each to a provider that sends no delivery reports (they wait SENT), one request to no route.
 */
class MetricsTest {
    @TempDir
    static Path data;
    static SmsProviderStub provider;
    static HeraldApp app;
    static Exposition metrics;

    @BeforeAll
    static void sendAndScrape() throws Exception {
        provider = new SmsProviderStub();
        provider.sendReports(false);
        app = HeraldApp.start(data, Map.of("herald.sms.provider.url", provider.url(),
                "herald.metrics.backlog-refresh", "PT0S"));
        Tenant sandbox = app.newTenant("{\"name\":\"Sandboxed\"}", true);
        JsonNode email = app.activeCampaign(sandbox, "{\"name\":\"e\",\"channel\":\"EMAIL\",\"from\":\"a@acme.com\","
                + "\"subject\":\"Hi\",\"text\":\"Hello\"}");
        List<String> ids = new ArrayList<>();
        JsonNode answer = app.tenant("POST", "/v1/messages", sandbox.apiKey(), "{\"code\":\"" + email.get("code").asText()
                + "\",\"messages\":[{\"recipient\":\"a@example.com\"},{\"recipient\":\"b@example.com\"},"
                + "{\"recipient\":\"c@example.com\"}]}").expect(200).json();
        answer.get("messages").forEach(m -> ids.add(m.get("messageId").asText()));
        ids.forEach(id -> app.awaitStatus(sandbox, id, "DELIVERED"));

        Tenant live = app.newTenant("{\"name\":\"Live\"}", false);
        JsonNode sms = app.activeCampaign(live, "{\"name\":\"s\",\"channel\":\"SMS\",\"from\":\"Herald\",\"text\":\"Hi\"}");
        for (String to : List.of("+306936862201", "+306936862202")) {
            String id = app.tenant("POST", "/v1/messages", live.apiKey(), "{\"code\":\"" + sms.get("code").asText()
                    + "\",\"messages\":[{\"recipient\":\"" + to + "\"}]}").expect(200).json().at("/messages/0/messageId").asText();
            app.awaitStatus(live, id, "SENT");
        }
        app.send("GET", "/no/such/path", null, null, Map.of()).expect(404);
        // the GC pause timer exists from the first collection on: on an idle machine there may have been none yet
        // (Herald runs in this JVM, so a collection asked for here is one of Herald's)
        System.gc();
        metrics = Await.until("a garbage collection in the JVM metrics", Duration.ofSeconds(15), () -> scrape(app),
                m -> m.help().containsKey("jvm_gc_pause_seconds"));
    }

    @AfterAll
    static void stop() {
        app.close();
        provider.close();
    }

    static Exposition scrape(HeraldApp app) {
        HeraldApp.Response response = app.send("GET", "/observe/metrics", null, null, Map.of()).expect(200);
        return Exposition.parse(response.body());
    }

    @Test
    void everyHeraldMetricHasAHelpText() {
        List<String> herald = metrics.types().keySet().stream().filter(name -> name.startsWith("herald_")).toList();
        assertThat(herald).contains("herald_messages_accepted_total", "herald_messages_waiting", "herald_queue_depth",
                "herald_accept_latency_seconds", "herald_delivery_handover_seconds", "herald_http_server_requests_seconds");
        for (String name : herald) {
            assertThat(metrics.help().get(name)).as("HELP of " + name).isNotBlank();
        }
        for (Exposition.Sample sample : metrics.samples()) {
            assertThat(metrics.family(sample.name())).as("the family of " + sample.name()).isNotNull();
        }
    }

    @Test
    void countersMatchWhatWasSent() {
        assertThat(metrics.value("herald_messages_accepted_total", "channel", "EMAIL")).isEqualTo(3);
        assertThat(metrics.value("herald_messages_accepted_total", "channel", "SMS")).isEqualTo(2);
        assertThat(metrics.value("herald_messages_sent_total", "channel", "EMAIL")).isEqualTo(3);
        assertThat(metrics.value("herald_messages_sent_total", "channel", "SMS")).isEqualTo(2);
        assertThat(metrics.value("herald_messages_delivered_total", "channel", "EMAIL")).isEqualTo(3);
        assertThat(metrics.value("herald_messages_delivered_total", "channel", "SMS")).isZero();
        assertThat(metrics.value("herald_messages_failed_total")).isZero();
    }

    @Test
    void backlogGaugesCountTheWaitingMessages() {
        assertThat(metrics.value("herald_messages_waiting", "state", "SENT")).isEqualTo(2);
        assertThat(metrics.value("herald_messages_waiting", "state", "ACCEPTED")).isZero();
        assertThat(metrics.value("herald_messages_waiting", "state", "QUEUED")).isZero();
        assertThat(metrics.value("herald_messages_waiting", "state", "SCHEDULED")).isZero();
        assertThat(metrics.value("herald_spool_waiting")).isZero();
        assertThat(metrics.value("herald_queue_depth", "queue", "delivery")).isZero();
        assertThat(metrics.select("herald_queue_depth", "queue", "callbacks")).hasSize(1);
    }

    @Test
    void latencyHistogramsHaveQuantileBuckets() {
        histogram("herald_accept_latency_seconds", 3, "status", "2xx");
        histogram("herald_delivery_handover_seconds", 3, "channel", "EMAIL");
        histogram("herald_delivery_handover_seconds", 2, "channel", "SMS");
        assertThat(metrics.value("herald_accept_latency_seconds_sum")).isPositive();
    }

    @Test
    void httpRequestsAreTimedByRouteTemplate() {
        assertThat(metrics.value("herald_http_server_requests_seconds_count", "method", "POST", "route", "/v1/messages",
                "status", "200")).isEqualTo(3);
        assertThat(metrics.value("herald_http_server_requests_seconds_count", "route", "other", "status", "404")).isEqualTo(1);
        // a path template, never the path: no series per message id or unknown path
        assertThat(metrics.samples()).filteredOn(s -> s.name().startsWith("herald_http"))
                .noneMatch(s -> s.labels().get("route").contains("no/such"))
                .noneMatch(s -> s.labels().get("route").matches(".*[0-9a-f]{8}-[0-9a-f]{4}-.*"))
                .anyMatch(s -> s.labels().get("route").startsWith("/v1/messages/") && s.labels().get("method").equals("GET"));
    }

    @Test
    void jvmAndPoolMetricsArePublishedWithHelp() {
        for (String family : List.of("jvm_memory_used_bytes", "jvm_gc_pause_seconds", "jvm_threads_live_threads",
                "jvm_classes_loaded_classes", "process_cpu_usage", "system_cpu_count", "process_uptime_seconds",
                "hikaricp_connections", "hikaricp_connections_active", "hikaricp_connections_max",
                "hikaricp_connections_acquire_seconds")) {
            assertThat(metrics.help().get(family)).as("HELP of " + family).isNotBlank();
        }
        assertThat(metrics.value("hikaricp_connections_max", "pool", "herald")).isEqualTo(10);
        assertThat(metrics.value("hikaricp_connections_acquire_seconds_count", "pool", "herald")).isPositive();
        assertThat(metrics.value("jvm_threads_live_threads")).isPositive();
        assertThat(metrics.value("jvm_memory_used_bytes", "area", "heap")).isPositive();
    }

    @Test
    void theDashboardQueriesOnlyMetricsHeraldPublishes() throws Exception {
        Set<String> published = metrics.samples().stream().map(Exposition.Sample::name).collect(Collectors.toSet());
        assertThat(DashboardTest.queriedMetrics(DashboardTest.dashboard())).isNotEmpty()
                .allSatisfy(name -> assertThat(published).as("published metrics").contains(name));
    }

    /** Cumulative buckets for histogram_quantile: a le label each, never decreasing, +Inf equal to the count. */
    private static void histogram(String name, double count, String... labels) {
        assertThat(metrics.value(name + "_count", labels)).isEqualTo(count);
        List<Exposition.Sample> buckets = metrics.select(name + "_bucket", labels);
        assertThat(buckets).hasSizeGreaterThan(10).allMatch(b -> b.labels().containsKey("le"));
        double previous = 0;
        for (Exposition.Sample bucket : buckets) {
            assertThat(bucket.value()).isGreaterThanOrEqualTo(previous);
            previous = bucket.value();
        }
        assertThat(metrics.value(name + "_bucket", join(labels, "le", "+Inf"))).isEqualTo(count);
    }

    private static String[] join(String[] labels, String... more) {
        String[] all = new String[labels.length + more.length];
        System.arraycopy(labels, 0, all, 0, labels.length);
        System.arraycopy(more, 0, all, labels.length, more.length);
        return all;
    }
}
