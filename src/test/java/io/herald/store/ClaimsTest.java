package io.herald.store;

import com.zaxxer.hikari.HikariDataSource;
import io.herald.store.Database;
import io.herald.store.DispatchRepository;
import io.herald.store.Jdbc;
import io.herald.store.MessageClaims;
import io.herald.store.QueueRepository;
import io.herald.support.Engines;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delivery claims (migration V4) on both databases Herald runs on, with every migration applied by Flyway as the
 * application does: of many threads racing for one message exactly one wins; a claim or a retry backoff keeps
 * everybody out until it ends; what a start re-queues and what the due poller takes.
 */
@ExtendWith(Engines.class)
class ClaimsTest {
    // whole milliseconds: the databases keep microseconds, and a rounded-up stored time would fail the <= comparisons
    static final OffsetDateTime NOW = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);

    @TempDir
    Path data;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void ofManyRacingClaimsExactlyOneWins(String database) throws Exception {
        try (HikariDataSource ds = open(database)) {
            MessageClaims claims = new MessageClaims(new Jdbc(ds));
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                ids.add(insertMessage(ds, "QUEUED"));
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                for (String id : ids) {
                    CountDownLatch start = new CountDownLatch(1);
                    List<Future<OffsetDateTime>> racers = new ArrayList<>();
                    for (int t = 0; t < 8; t++) {
                        String instance = "instance-" + t;
                        Callable<OffsetDateTime> claim = () -> {
                            start.await();
                            return claims.claim(id, instance, NOW, NOW.plusMinutes(1));
                        };
                        racers.add(pool.submit(claim));
                    }
                    start.countDown();
                    int won = 0;
                    for (Future<OffsetDateTime> racer : racers) {
                        won += racer.get() == null ? 0 : 1;
                    }
                    assertThat(won).as("winners for " + id).isEqualTo(1);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(count(ds, "SELECT COUNT(*) FROM message WHERE attempts = 1 AND claimed_by LIKE 'instance-%'")).isEqualTo(20);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aClaimOrABackoffKeepsEverybodyOutUntilItEnds(String database) throws Exception {
        try (HikariDataSource ds = open(database)) {
            MessageClaims claims = new MessageClaims(new Jdbc(ds));
            String id = insertMessage(ds, "QUEUED");

            OffsetDateTime first = claims.claim(id, "a", NOW, NOW.plusSeconds(60));
            assertThat(first).isNotNull();
            assertThat(claims.claim(id, "b", NOW.plusSeconds(59), NOW.plusSeconds(120))).as("lease still running").isNull();
            assertThat(claims.due(NOW.plusSeconds(59), 10)).doesNotContain(id);
            // a crashed holder: its lease runs out, the message is due, and another instance takes it over
            assertThat(claims.due(NOW.plusSeconds(61), 10)).contains(id);
            assertThat(claims.claim(id, "b", NOW.plusSeconds(61), NOW.plusSeconds(121))).isEqualTo(first);

            // a transient failure: only the holder can hand it back, and nobody may try before the backoff ends
            assertThat(claims.retryAt(id, "a", NOW.plusSeconds(70))).as("a no longer holds it").isFalse();
            assertThat(claims.retryAt(id, "b", NOW.plusSeconds(70))).isTrue();
            assertThat(claims.claim(id, "c", NOW.plusSeconds(65), NOW.plusSeconds(125))).isNull();
            assertThat(claims.due(NOW.plusSeconds(65), 10)).doesNotContain(id);
            assertThat(claims.due(NOW.plusSeconds(71), 10)).contains(id);
            assertThat(claims.claim(id, "c", NOW.plusSeconds(71), NOW.plusSeconds(131))).isEqualTo(first);
            assertThat(count(ds, "SELECT attempts FROM message WHERE id = '" + id + "'")).isEqualTo(3);

            // a graceful stop hands live claims back: due at once
            assertThat(claims.releaseAll("c", NOW.plusSeconds(72))).isEqualTo(1);
            assertThat(claims.due(NOW.plusSeconds(72), 10)).contains(id);

            // once the message has left ACCEPTED/QUEUED, nothing claims it any more
            new Jdbc(ds).update("UPDATE message SET status = 'SENT' WHERE id = ?", id);
            assertThat(claims.claim(id, "d", NOW.plusSeconds(200), NOW.plusSeconds(260))).isNull();
            assertThat(claims.due(NOW.plusSeconds(200), 10)).doesNotContain(id);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aStartRequeuesOnlyMessagesNeverAttempted(String database) throws Exception {
        try (HikariDataSource ds = open(database)) {
            MessageClaims claims = new MessageClaims(new Jdbc(ds));
            String accepted = insertMessage(ds, "ACCEPTED");
            String queued = insertMessage(ds, "QUEUED");
            String claimed = insertMessage(ds, "QUEUED");
            String scheduled = insertMessage(ds, "SCHEDULED");
            String sent = insertMessage(ds, "SENT");
            claims.claim(claimed, "a", NOW, NOW.plusSeconds(60));

            // ACCEPTED messages are the feeder's (claimForQueue), not the start's
            assertThat(claims.neverAttempted()).contains(queued).doesNotContain(accepted, claimed, scheduled, sent);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void theFeederClaimsEachAcceptedMessageOnce(String database) throws Exception {
        try (HikariDataSource ds = open(database)) {
            Jdbc jdbc = new Jdbc(ds);
            QueueRepository messages = new QueueRepository(jdbc, new DispatchRepository(jdbc));
            String accepted = insertMessage(ds, "ACCEPTED");
            String queued = insertMessage(ds, "QUEUED");
            String scheduled = insertMessage(ds, "SCHEDULED");

            List<String> first = messages.claimForQueue(10_000, null).claimed().stream().map(QueueRepository.Queued::id).toList();
            assertThat(first).contains(accepted).doesNotContain(queued, scheduled);
            assertThat(status(ds, accepted)).isEqualTo("QUEUED");
            assertThat(messages.claimForQueue(10_000, null).claimed()).extracting(QueueRepository.Queued::id)
                    .doesNotContain(accepted);

            // a failed hand-over: ACCEPTED again, and claimed again by the next pass
            messages.unqueue(List.of(new QueueRepository.Queued(accepted, null)));
            assertThat(status(ds, accepted)).isEqualTo("ACCEPTED");
            // a sweep takes only messages stored before its limit (this one was stored at NOW)
            assertThat(messages.claimForQueue(10_000, NOW.minusSeconds(1)).claimed()).extracting(QueueRepository.Queued::id)
                    .doesNotContain(accepted);
            assertThat(messages.claimForQueue(10_000, NOW.plusSeconds(1)).claimed()).extracting(QueueRepository.Queued::id)
                    .contains(accepted);
        }
    }

    private static String status(HikariDataSource ds, String id) {
        return new Jdbc(ds).query("SELECT status FROM message WHERE id = ?", rs -> rs.getString("status"), id).get(0);
    }

    @org.junit.jupiter.api.Test
    void everyMigrationRunsUnchangedOnPostgresql() {
        try (HikariDataSource ds = open("postgresql")) {
            List<String> versions = new Jdbc(ds).query("SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank",
                    rs -> rs.getString(1));
            assertThat(versions).contains("1", "4");
            assertThat(count(ds, "SELECT COUNT(*) FROM flyway_schema_history WHERE NOT success")).isZero();
            assertThat(new Jdbc(ds).query("SELECT version() AS v", rs -> rs.getString(1)).get(0)).startsWith("PostgreSQL 17");
        }
    }

    private HikariDataSource open(String database) {
        return "h2".equals(database)
                ? Database.open("jdbc:h2:file:" + data.resolve("claims").toAbsolutePath(), "herald", "herald", 10)
                : Database.open(Engines.newDatabase("claims"), "postgres", "postgres", 10);
    }

    /** A message row with its account, campaign and dispatch. */
    private static String insertMessage(HikariDataSource ds, String status) {
        Jdbc jdbc = new Jdbc(ds);
        return jdbc.inTransaction(c -> {
            long account = Jdbc.insert(c, "INSERT INTO account (name, created_at) VALUES (?, ?)", "claims", NOW);
            long key = Jdbc.insert(c, "INSERT INTO api_key (account_id, key_hash, secret_hash, sandbox, created_at)"
                    + " VALUES (?, ?, ?, ?, ?)", account, UUID.randomUUID().toString().replace("-", ""), "x", false, NOW);
            long campaign = Jdbc.insert(c, "INSERT INTO campaign (account_id, code, name, channel, status, created_at, updated_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)", account, UUID.randomUUID().toString().substring(0, 13), "c", "EMAIL",
                    "ACTIVE", NOW, NOW);
            long dispatch = Jdbc.insert(c, "INSERT INTO dispatch (account_id, campaign_id, api_key_id, dialect, is_test,"
                    + " total_recipients, accepted, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", account, campaign, key, "test",
                    false, 1, 1, NOW);
            String id = UUID.randomUUID().toString();
            Jdbc.update(c, "INSERT INTO message (id, account_id, dispatch_id, campaign_id, channel, recipient, sandbox, status,"
                    + " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", id, account, dispatch, campaign, "EMAIL",
                    "a@example.com", false, status, NOW, NOW);
            return id;
        });
    }

    private static long count(HikariDataSource ds, String sql) {
        return Objects.requireNonNull(new Jdbc(ds).queryOne(sql, rs -> rs.getLong(1)).orElse(null));
    }
}
