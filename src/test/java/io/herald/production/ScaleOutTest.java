package io.herald.production;

import io.herald.support.Await;
import io.herald.support.Engines;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Tenant;
import io.herald.support.HeraldClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scale-out: two Herald processes on one Kafka and one PostgreSQL share the delivery work (SMS to a provider that takes
 * 20 ms per request) (the topic's partitions are
 * split between their consumers, and both deliver); when one is stopped, the other takes over its partitions and
 * finishes everything, and no message is sent twice; a scheduled dispatch is released by one of them, once.
 */
@ExtendWith(Engines.class)
class ScaleOutTest {
    static final int BATCHES = 150; // of 10 SMS
    static final int SCHEDULED = 50;

    @Test
    void twoInstancesShareTheWorkAndOneFinishesWhenTheOtherStops() throws Exception {
        SlowSmsProvider provider = new SlowSmsProvider(20);
        Map<String, String> config = new HashMap<>(Engines.production("scale"));
        config.put("herald.sms.provider.url", provider.url());
        config.put("herald.sms.provider.api-key", "k");
        config.put("herald.sms.provider.api-secret", "s");
        config.put("herald.delivery.concurrency", "2");
        config.put("herald.kafka.consumers", "2");
        String db = config.get("herald.db.url");
        Map<String, String> configA = new HashMap<>(config);
        configA.put("herald.instance.id", "instance-a");
        Map<String, String> configB = new HashMap<>(config);
        configB.put("herald.instance.id", "instance-b");
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try (HeraldProcess a = HeraldProcess.launch("scale-a", HeraldApp.freePort(), configA);
             HeraldProcess b = HeraldProcess.launch("scale-b", HeraldApp.freePort(), configB)) {
            a.awaitReady();
            b.awaitReady();
            HeraldClient toA = a.client();
            HeraldClient toB = b.client();
            Tenant tenant = toA.newTenant("{\"name\":\"Scale\"}", false);
            String code = toA.activeCampaign(tenant, "{\"name\":\"scale\",\"channel\":\"SMS\",\"from\":\"Herald\","
                    + "\"text\":\"Hello %recipient.name%\"}").get("code").asText();
            long templateId = toA.tenant("GET", "/v1/campaigns/" + code, tenant.apiKey(), null).expect(200)
                    .json().get("id").asLong();

            // a dispatch scheduled a few seconds ahead: both instances poll for due dispatches, one releases it, once
            List<String> scheduled = new ArrayList<>();
            StringBuilder recipientsJson = new StringBuilder();
            for (int i = 0; i < SCHEDULED; i++) {
                String number = String.format("+30693688%04d", i);
                scheduled.add(number);
                recipientsJson.append(i == 0 ? "" : ",").append("{\"uniqueId\":\"s").append(i).append("\",\"mobilePhone\":\"")
                        .append(number).append("\"}");
            }
            String scheduleDate = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(5).toString();
            toA.tenant("POST", "/api/SendMessages", tenant.apiKey(), "{\"templateId\":" + templateId
                    + ",\"scheduleDate\":\"" + scheduleDate + "\",\"recipients\":[" + recipientsJson + "]}").expect(200);

            // both instances accept: calls alternate between them
            Map<String, String> accepted = new ConcurrentHashMap<>();
            List<Future<?>> calls = new ArrayList<>();
            for (int batch = 0; batch < BATCHES; batch++) {
                List<String> recipients = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    recipients.add(String.format("+30693687%04d", batch * 10 + i));
                }
                HeraldClient client = batch % 2 == 0 ? toA : toB;
                calls.add(clients.submit(() -> {
                    accepted.putAll(client.sendBatch(tenant, code, recipients));
                    return null;
                }));
            }
            for (Future<?> call : calls) {
                call.get();
            }
            int total = BATCHES * 10;
            assertThat(accepted).hasSize(total);

            // both deliver
            Await.until("both instances deliver", Duration.ofSeconds(60), () -> Deliveries.deliveredByInstance(db),
                    byInstance -> byInstance.getOrDefault("instance-a", 0L) > 0 && byInstance.getOrDefault("instance-b", 0L) > 0);

            // one stops (gracefully, as an orchestrator scales down): the other finishes everything
            a.stop();
            Map<String, Long> atStop = Deliveries.deliveredByInstance(db);
            long deliveredAtStop = atStop.values().stream().mapToLong(Long::longValue).sum();
            awaitAllDelivered(db, total + SCHEDULED, Duration.ofSeconds(120));
            Map<String, Long> atEnd = Deliveries.deliveredByInstance(db);
            HeraldApp.sleep(500);
            Map<String, Integer> perRecipient = Deliveries.perRecipient(null, provider.requests());

            System.out.printf("SCALE-OUT TEST: %d SMS accepted by two instances, plus %d scheduled; delivered by instance when"
                            + " one was stopped: %s (%d of %d); at the end: %s; received %d distinct, duplicates %d%n",
                    total, SCHEDULED, atStop, deliveredAtStop, total + SCHEDULED, atEnd, perRecipient.size(),
                    Deliveries.duplicates(perRecipient));

            assertThat(deliveredAtStop).as("instance-a was stopped in the middle of the work").isLessThan(total + SCHEDULED);
            assertThat(atEnd.get("instance-b")).as("instance-b delivered the rest")
                    .isEqualTo(total + SCHEDULED - atEnd.getOrDefault("instance-a", 0L));
            assertThat(atEnd.get("instance-b")).isGreaterThan(atStop.getOrDefault("instance-b", 0L));
            List<String> everyone = new ArrayList<>(accepted.keySet());
            everyone.addAll(scheduled);
            assertThat(perRecipient.keySet()).containsExactlyInAnyOrderElementsOf(everyone);
            assertThat(Deliveries.duplicates(perRecipient)).isZero();
        } finally {
            clients.shutdownNow();
            provider.close();
        }
    }

    private static void awaitAllDelivered(String db, int total, Duration timeout) {
        Await.until(total + " delivered", timeout, Duration.ofMillis(100),
                () -> Deliveries.count(db, "SELECT COUNT(*) FROM message WHERE status = 'SENT'"), delivered -> delivered >= total);
    }
}
