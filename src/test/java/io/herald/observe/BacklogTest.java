package io.herald.observe;

import com.zaxxer.hikari.HikariDataSource;
import io.herald.store.Database;
import io.herald.store.Jdbc;
import io.herald.store.MessageStatus;
import io.herald.store.StatementCounter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backlog gauges read the database once per refresh period however many gauges and scrapes ask (counted on a real
 * H2 database with Herald's schema); {@link MetricsTest} checks their values after real sends.
 */
class BacklogTest {
    static HikariDataSource pool;
    static StatementCounter counted;

    @BeforeAll
    static void open() {
        pool = Database.open("jdbc:h2:mem:backlog;DB_CLOSE_DELAY=-1", "sa", "", 2);
        counted = new StatementCounter(pool);
    }

    @AfterAll
    static void close() {
        pool.close();
    }

    @Test
    void manyReadsWithinThePeriodCostOneReadOfTheDatabase() {
        Backlog backlog = new Backlog(new Jdbc(counted), Duration.ofHours(1));
        long before = counted.statements();
        for (int scrape = 0; scrape < 20; scrape++) {
            for (MessageStatus status : Backlog.WAITING) {
                assertThat(backlog.waiting(status)).isZero();
            }
            assertThat(backlog.spooled()).isZero();
        }
        assertThat(counted.statements() - before).isEqualTo(2);
    }

    @Test
    void aZeroPeriodReadsEveryTime() {
        Backlog backlog = new Backlog(new Jdbc(counted), Duration.ZERO);
        long before = counted.statements();
        backlog.waiting(MessageStatus.QUEUED);
        backlog.waiting(MessageStatus.SENT);
        assertThat(counted.statements() - before).isEqualTo(4);
    }

    @Test
    void aFailedReadGivesNoNumberRatherThanAWrongOne() {
        HikariDataSource closed = Database.open("jdbc:h2:mem:backlog-closed;DB_CLOSE_DELAY=-1", "sa", "", 2);
        Backlog backlog = new Backlog(new Jdbc(closed), Duration.ZERO);
        closed.close();
        assertThat(backlog.waiting(MessageStatus.QUEUED)).isNaN();
        assertThat(backlog.spooled()).isNaN();
    }
}
