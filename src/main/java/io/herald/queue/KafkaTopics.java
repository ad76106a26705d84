package io.herald.queue;

import io.herald.Settings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * With {@code herald.queue=kafka}, makes sure Herald's topics exist with at least the configured number of partitions
 * before any route starts. A topic left to broker auto-creation would get one partition, and one partition is
 * consumed by one consumer of the group only: no parallel delivery, no sharing of work between instances.
 */
public final class KafkaTopics {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaTopics.class);
    /** Queues that run over Kafka, each configured by herald.kafka.NAME.topic and herald.kafka.NAME.partitions. */
    private static final List<String> QUEUES = List.of("delivery");

    private KafkaTopics() {
    }

    public static void ensure(Settings settings) {
        if (!"kafka".equalsIgnoreCase(settings.text("herald.queue"))) {
            return;
        }
        Map<String, Integer> wanted = new LinkedHashMap<>();
        for (String queue : QUEUES) {
            settings.get("herald.kafka." + queue + ".topic").ifPresent(topic -> wanted.put(topic,
                    settings.integer("herald.kafka." + queue + ".partitions")));
        }
        short replication = (short) settings.integer("herald.kafka.replication-factor");
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.required("herald.kafka.brokers"));
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "60000");
        try (Admin admin = Admin.create(config)) {
            Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            for (Map.Entry<String, Integer> topic : wanted.entrySet()) {
                if (!existing.contains(topic.getKey())) {
                    create(admin, topic.getKey(), topic.getValue(), replication);
                } else {
                    grow(admin, topic.getKey(), topic.getValue());
                }
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka topics could not be prepared: " + e.getCause().getMessage(), e.getCause());
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("Kafka topics could not be prepared: " + e.getMessage(), e);
        }
    }

    private static void create(Admin admin, String topic, int partitions, short replication) throws Exception {
        try {
            admin.createTopics(List.of(new NewTopic(topic, partitions, replication))).all().get(60, TimeUnit.SECONDS);
            LOG.info("Created Kafka topic {} with {} partitions", topic, partitions);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
            grow(admin, topic, partitions); // another instance created it meanwhile
        }
    }

    private static void grow(Admin admin, String topic, int partitions) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get(60, TimeUnit.SECONDS).get(topic);
        int current = description.partitions().size();
        if (current < partitions) {
            try {
                admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(partitions))).all().get(60, TimeUnit.SECONDS);
                LOG.info("Kafka topic {} grown from {} to {} partitions", topic, current, partitions);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof InvalidPartitionsException)) {
                    throw e;
                }
            }
        }
    }
}
