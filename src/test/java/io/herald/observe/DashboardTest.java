package io.herald.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.herald.support.HeraldApp;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker/grafana/herald-dashboard.json against a JSON schema of what Grafana requires (src/test/resources/
 * grafana-dashboard.schema.json); {@link MetricsTest} checks that every metric it queries is one Herald publishes.
 */
class DashboardTest {
    static final Path DASHBOARD = Path.of("docker/grafana/herald-dashboard.json");
    /** The metric names in a PromQL expression: Herald's own, the JVM's, the process', the pool's. */
    private static final Pattern METRIC = Pattern.compile("\\b(?:herald|jvm|process|system|hikaricp)_[a-z0-9_]+\\b");

    static JsonNode dashboard() throws IOException {
        return HeraldApp.JSON.readTree(Files.readString(DASHBOARD));
    }

    /** Every metric name the dashboard's queries use. */
    static Set<String> queriedMetrics(JsonNode dashboard) {
        Set<String> names = new TreeSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher m = METRIC.matcher(target.get("expr").asText());
                while (m.find()) {
                    names.add(m.group());
                }
            }
        }
        return names;
    }

    private static List<Error> validate(JsonNode dashboard) throws IOException {
        try (InputStream in = DashboardTest.class.getResourceAsStream("/grafana-dashboard.schema.json")) {
            Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(in, InputFormat.JSON);
            return schema.validate(dashboard);
        }
    }

    @Test
    void theDashboardHasWhatGrafanaRequires() throws IOException {
        assertThat(validate(dashboard())).extracting(Error::toString).isEmpty();
    }

    @Test
    void theSchemaRefusesADashboardWithoutThem() throws IOException {
        ObjectNode broken = (ObjectNode) dashboard();
        broken.remove("uid");
        ((ObjectNode) broken.get("panels").get(1)).remove("gridPos");
        ((ObjectNode) broken.get("panels").get(2)).putArray("targets");
        assertThat(validate(broken)).extracting(Error::toString).hasSizeGreaterThanOrEqualTo(3)
                .anyMatch(e -> e.contains("uid")).anyMatch(e -> e.contains("gridPos"));
    }

    @Test
    void panelIdsAreUniqueAndTheDashboardCoversEveryArea() throws IOException {
        JsonNode dashboard = dashboard();
        Set<Integer> ids = new HashSet<>();
        dashboard.get("panels").forEach(p -> assertThat(ids.add(p.get("id").asInt())).as("panel id " + p.get("id")).isTrue());
        assertThat(queriedMetrics(dashboard)).contains("herald_messages_accepted_total", "herald_messages_sent_total",
                "herald_messages_delivered_total", "herald_messages_failed_total", "herald_accept_latency_seconds_bucket",
                "herald_delivery_handover_seconds_bucket", "herald_messages_waiting", "herald_queue_depth",
                "jvm_memory_used_bytes", "hikaricp_connections_active");
    }
}
