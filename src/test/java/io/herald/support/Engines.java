package io.herald.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import kafka.testkit.KafkaClusterTestKit;
import kafka.testkit.TestKitNodes;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The production engines, real and started inside the test run: a Kafka broker (KRaft, combined broker and
 * controller) and a PostgreSQL 17 server. Started once per test run, on first use, shared by the production tests
 * (which register this class with {@code @ExtendWith}) and stopped when the run ends; each test takes its own
 * database and its own topic and consumer group, so tests never see each other's data.
 */
public final class Engines implements BeforeAllCallback, ExtensionContext.Store.CloseableResource {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static KafkaClusterTestKit kafka;
    private static EmbeddedPostgres postgres;

    @Override
    public void beforeAll(ExtensionContext context) {
        // the root store closes this resource once, when the whole test run ends
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent(Engines.class.getName(),
                key -> new Engines());
    }

    @Override
    public synchronized void close() throws Exception {
        synchronized (Engines.class) {
            if (kafka != null) {
                kafka.close();
                kafka = null;
            }
            if (postgres != null) {
                postgres.close();
                postgres = null;
            }
        }
    }

    public static synchronized String kafkaBrokers() {
        if (kafka == null) {
            try {
                KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        .setConfigProp("group.initial.rebalance.delay.ms", "0")
                        .build();
                cluster.format();
                cluster.startup();
                cluster.waitForReadyBrokers();
                kafka = cluster;
            } catch (Exception e) {
                throw new IllegalStateException("the in-JVM Kafka broker did not start", e);
            }
        }
        return kafka.bootstrapServers();
    }

    public static synchronized EmbeddedPostgres postgres() {
        if (postgres == null) {
            try {
                // durability of the database server itself is not under test (Herald is what gets killed)
                postgres = EmbeddedPostgres.builder().setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off").setServerConfig("full_page_writes", "off").start();
            } catch (Exception e) {
                throw new IllegalStateException("the embedded PostgreSQL did not start", e);
            }
        }
        return postgres;
    }

    /** A new, empty PostgreSQL database; answers its JDBC URL (user postgres). */
    public static String newDatabase(String name) {
        String database = name.toLowerCase().replaceAll("[^a-z0-9]", "_") + "_" + SEQUENCE.incrementAndGet();
        try (Connection c = postgres().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return postgres().getJdbcUrl("postgres", database);
    }

    /**
     * Herald's configuration for production mode on these engines: herald.queue=kafka with its own topic and group,
     * and a new PostgreSQL database.
     */
    public static Map<String, String> production(String name) {
        int n = SEQUENCE.incrementAndGet();
        Map<String, String> config = new HashMap<>();
        config.put("herald.queue", "kafka");
        config.put("herald.kafka.brokers", kafkaBrokers());
        config.put("herald.kafka.delivery.topic", "herald.delivery." + name + "." + n);
        config.put("herald.kafka.delivery.group", "herald-" + name + "-" + n);
        config.put("herald.kafka.delivery.partitions", "8");
        // a stopping consumer waits for its poll to end
        config.put("herald.kafka.poll-timeout-ms", "200");
        // the broker's smallest session timeout: a killed instance's partitions are reassigned within seconds
        config.put("herald.kafka.session-timeout-ms", "6000");
        config.put("herald.kafka.heartbeat-interval-ms", "1000");
        config.put("herald.db.url", newDatabase(name));
        config.put("herald.db.user", "postgres");
        config.put("herald.db.password", "postgres");
        config.put("herald.delivery.poll-interval-ms", "200");
        return config;
    }
}
