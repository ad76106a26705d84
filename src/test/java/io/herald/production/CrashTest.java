package io.herald.production;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.herald.support.Await;
import io.herald.support.Engines;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Tenant;
import io.herald.support.HeraldClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crash safety, with Kafka and PostgreSQL and on the embedded default (H2, in-memory queue): a few thousand messages are sent while Herald (a separate process) delivers
 * them; in the middle of delivery the process is killed hard (SIGKILL: no shutdown, no commit, claims left behind),
 * then started again. Every accepted message must reach the SMTP server or the SMS provider, and duplicates may only
 * come from the messages that were in flight at the kill (claimed by the dead process, outcome not stored).
 */
@ExtendWith(Engines.class)
class CrashTest {
    static final int BATCHES = 200; // of 10 messages: 2 of every 3 batches email, the third SMS
    static final int SENDERS = 4;

    @Test
    void hardKillInTheMiddleOfDeliveryLosesNothingAndDuplicatesAtMostWhatWasInFlight() throws Exception {
        crash(Engines.production("crash"), Kill.QUARTER_DELIVERED);
    }

    /** The embedded default (H2 file, in-memory queue): an answer comes only after its commit is in the file. */
    @Test
    void onTheEmbeddedDefaultAHardKillInTheMiddleOfDeliveryLosesNothing(@TempDir Path dir) throws Exception {
        crash(embedded(dir), Kill.QUARTER_DELIVERED);
    }

    /** Killed right after a burst of answers: the last answered messages were committed a moment before the kill. */
    @Test
    void onTheEmbeddedDefaultAHardKillRightAfterABurstOfAnswersLosesNothing(@TempDir Path dir) throws Exception {
        crash(embedded(dir), Kill.AFTER_BURST);
    }

    @Test
    void withKafkaAndPostgresAHardKillRightAfterABurstOfAnswersLosesNothing() throws Exception {
        crash(Engines.production("burst"), Kill.AFTER_BURST);
    }

    /** When the first process is killed: once a quarter of the messages was delivered, or once 200 were answered. */
    enum Kill { QUARTER_DELIVERED, AFTER_BURST }

    /**
     * Herald's embedded default: an H2 file database (served to the test's own connections by H2's automatic mixed
     * mode, so the test can count rows while Herald runs) and the in-memory delivery queue.
     */
    private static Map<String, String> embedded(Path dir) {
        Map<String, String> config = new HashMap<>();
        config.put("herald.queue", "embedded");
        config.put("herald.db.url", "jdbc:h2:file:" + dir.resolve("herald").toAbsolutePath() + ";AUTO_SERVER=TRUE");
        config.put("herald.db.user", "postgres");
        config.put("herald.db.password", "postgres");
        config.put("herald.delivery.poll-interval-ms", "200");
        return config;
    }

    private void crash(Map<String, String> engine, Kill kill) throws Exception {
        GreenMail smtp = new GreenMail(new ServerSetup(HeraldApp.freePort(), "127.0.0.1", "smtp"));
        smtp.start();
        try (SlowSmsProvider provider = new SlowSmsProvider(5)) {
            Map<String, String> config = new HashMap<>(engine);
            config.put("herald.smtp.host", "127.0.0.1");
            config.put("herald.smtp.port", String.valueOf(smtp.getSmtp().getPort()));
            config.put("herald.smtp.timeout-ms", "3000");
            config.put("herald.sms.provider.url", provider.url());
            config.put("herald.sms.provider.api-key", "k");
            config.put("herald.sms.provider.api-secret", "s");
            config.put("herald.sms.provider.response-timeout-ms", "3000");
            config.put("herald.delivery.concurrency", "8");
            config.put("herald.delivery.lease", "PT5S");
            config.put("herald.retry.initial-delay-ms", "200");
            config.put("herald.retry.max-delay-ms", "1000");
            String db = config.get("herald.db.url");
            int port = HeraldApp.freePort();

            config.put("herald.instance.id", "crash-first");
            HeraldProcess first = HeraldProcess.start("crash-first", port, config);
            HeraldClient client = first.client();
            Tenant tenant = client.newTenant("{\"name\":\"Crash\"}", false);
            String emailCode = client.activeCampaign(tenant, "{\"name\":\"crash-mail\",\"channel\":\"EMAIL\","
                    + "\"from\":\"news@acme.com\",\"subject\":\"For %recipient.name%\",\"text\":\"Hello %recipient.name%\"}").get("code").asText();
            String smsCode = client.activeCampaign(tenant, "{\"name\":\"crash-sms\",\"channel\":\"SMS\","
                    + "\"from\":\"Herald\",\"text\":\"Hello %recipient.name%\"}").get("code").asText();

            Queue<List<String>> todo = new ConcurrentLinkedQueue<>();
            for (int b = 0; b < BATCHES; b++) {
                List<String> batch = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    int n = b * 10 + i;
                    batch.add(b % 3 == 2 ? String.format("+30693686%04d", n) : "user" + n + "@example.com");
                }
                todo.add(batch);
            }
            int total = BATCHES * 10;
            Map<String, String> accepted = new ConcurrentHashMap<>();
            Set<String> unanswered = ConcurrentHashMap.newKeySet();
            Map<String, String> codes = Map.of("email", emailCode, "sms", smsCode);

            // send from several clients while the process delivers; kill it once a quarter has been delivered
            Instant started = Instant.now();
            ExecutorService senders = send(client, tenant, codes, todo, accepted, unanswered);
            Thread progress = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    System.out.printf("PROGRESS %d ms: accepted %d, received %d%n", Duration.between(started, Instant.now()).toMillis(),
                            accepted.size(), Deliveries.received(smtp, provider.requests()));
                    try {
                        Thread.sleep(2000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            progress.setDaemon(true);
            progress.start();
            try {
                if (kill == Kill.AFTER_BURST) {
                    awaitAnswered(accepted, 200, Duration.ofSeconds(150));
                } else {
                    awaitReceived(smtp, provider, total / 4, Duration.ofSeconds(150));
                }
            } finally {
                first.kill();
                progress.interrupt();
            }
            Duration killedAfter = Duration.between(started, Instant.now());
            int receivedAtKill = Deliveries.received(smtp, provider.requests());
            senders.shutdown();
            assertThat(senders.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            int acceptedAtKill = accepted.size();
            long inFlightAtKill = Deliveries.count(db, "SELECT COUNT(*) FROM message WHERE claimed_by = 'crash-first'"
                    + " AND status IN ('ACCEPTED', 'QUEUED') AND claimed_until > CURRENT_TIMESTAMP");
            long storedAtKill = Deliveries.count(db, "SELECT COUNT(*) FROM message");

            config.put("herald.instance.id", "crash-second");
            try (HeraldProcess second = HeraldProcess.start("crash-second", port, config)) {
                Instant restarted = Instant.now();
                HeraldClient again = second.client();
                ExecutorService rest = send(again, tenant, codes, todo, accepted, unanswered);
                rest.shutdown();
                assertThat(rest.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
                assertThat(unanswered).as("only calls cut by the kill go unanswered").hasSizeLessThanOrEqualTo(SENDERS * 10);
                assertThat(accepted.size() + unanswered.size()).isEqualTo(total);

                // everything stored is attempted and has an outcome; then nothing more arrives
                awaitNoneDeliverable(db, Duration.ofSeconds(180));
                awaitReceived(smtp, provider, accepted.size(), Duration.ofSeconds(30));
                HeraldApp.sleep(1000);
                Duration recovered = Duration.between(restarted, Instant.now());

                Map<String, Integer> perRecipient = Deliveries.perRecipient(smtp, provider.requests());
                List<String> lost = accepted.keySet().stream().filter(r -> !perRecipient.containsKey(r)).sorted().toList();
                int duplicates = Deliveries.duplicates(perRecipient);
                long unansweredDelivered = unanswered.stream().filter(perRecipient::containsKey).count();
                long stored = Deliveries.count(db, "SELECT COUNT(*) FROM message");
                long sent = Deliveries.count(db, "SELECT COUNT(*) FROM message WHERE status IN ('SENT', 'DELIVERED')");

                System.out.printf("CRASH TEST (%s, %s): %d messages sent in calls of 10, Herald killed hard (SIGKILL) %d ms"
                                + " after the first call, restarted; recovery took %d ms%n", config.get("herald.queue"), kill, total,
                        killedAfter.toMillis(), recovered.toMillis());
                System.out.printf("CRASH TEST: at the kill: %d accepted, %d stored, %d received by SMTP/SMS, %d claimed"
                        + " in flight without a stored outcome%n", acceptedAtKill, storedAtKill, receivedAtKill, inFlightAtKill);
                System.out.printf("CRASH TEST: accepted %d (answered OK), delivered %d distinct, lost %d, duplicates %d"
                                + " (bound: %d in flight at the kill); %d calls cut by the kill (%d of their messages"
                                + " stored and delivered all the same); %d messages stored, %d SENT/DELIVERED%n",
                        accepted.size(), perRecipient.size(), lost.size(), duplicates, inFlightAtKill,
                        unanswered.size() / 10, unansweredDelivered, stored, sent);

                assertThat(receivedAtKill).as("the kill came in the middle of delivery").isLessThan(total);
                assertThat(lost).as("accepted messages that never reached SMTP/SMS").isEmpty();
                assertThat(duplicates).as("duplicates are bounded by what was in flight at the kill")
                        .isLessThanOrEqualTo((int) inFlightAtKill);
                assertThat(perRecipient.keySet()).as("nothing but what was sent to Herald arrives")
                        .allMatch(r -> accepted.containsKey(r) || unanswered.contains(r));
                assertThat(sent).isEqualTo(stored);
            }
        } finally {
            smtp.stop();
        }
    }

    /** Sends the batches left in todo from several clients; a client stops at its first failed call (the kill). */
    private static ExecutorService send(HeraldClient client, Tenant tenant, Map<String, String> codes, Queue<List<String>> todo,
                                        Map<String, String> accepted, Set<String> unanswered) {
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        for (int s = 0; s < SENDERS; s++) {
            senders.submit(() -> {
                List<String> batch;
                while ((batch = todo.poll()) != null) {
                    try {
                        accepted.putAll(client.sendBatch(tenant, codes.get(batch.get(0).startsWith("+") ? "sms" : "email"), batch));
                    } catch (UncheckedIOException e) {
                        unanswered.addAll(batch);
                        return;
                    }
                }
            });
        }
        return senders;
    }

    private static void awaitReceived(GreenMail smtp, SlowSmsProvider provider, int count, Duration timeout) {
        Await.until(count + " received", timeout, Duration.ofMillis(20), () -> Deliveries.received(smtp, provider.requests()),
                received -> received >= count);
    }

    private static void awaitAnswered(Map<String, String> accepted, int count, Duration timeout) {
        Await.until(count + " answered", timeout, Duration.ofMillis(1), accepted::size, answered -> answered >= count);
    }

    private static void awaitNoneDeliverable(String db, Duration timeout) {
        try {
            Await.until("no message waiting for delivery", timeout, Duration.ofMillis(100),
                    () -> Deliveries.count(db, "SELECT COUNT(*) FROM message WHERE status IN ('ACCEPTED', 'QUEUED')"), left -> left == 0);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; waiting: " + Deliveries.rows(db,
                    "SELECT status, claimed_by, claimed_until > CURRENT_TIMESTAMP AS held, attempts, COUNT(*) FROM message"
                            + " WHERE status IN ('ACCEPTED', 'QUEUED') GROUP BY status, claimed_by, held, attempts"), e);
        }
    }
}
