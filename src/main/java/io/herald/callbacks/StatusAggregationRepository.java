package io.herald.callbacks;

import org.apache.camel.CamelContext;
import org.apache.camel.processor.aggregate.jdbc.JdbcAggregationRepository;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import javax.sql.DataSource;

/**
 * Camel's JDBC aggregation repository for the status events, on Herald's database (tables {@code status_aggregation}
 * and {@code status_aggregation_completed}, migration V3), for H2 and PostgreSQL alike. (Camel 4.18.0's
 * {@code PostgresAggregationRepository} binds a parameter its INSERT does not have; the plain repository is correct
 * on PostgreSQL too, and the aggregator's lock keeps one instance from inserting a key twice.)
 * <p>
 * One difference: an aggregate completed by its first event (a message that FAILED before it was ever SENT) is never
 * stored by Camel, so there is no completed row to confirm, and Camel's confirm would log an error for it. Confirming
 * here simply removes the completed row if there is one. (Such an aggregate, held only in memory, is covered at start
 * by {@link StatusEvents#replayUnplanned()}.)
 */
public class StatusAggregationRepository extends JdbcAggregationRepository {
    public static final String NAME = "status_aggregation";

    private final JdbcTemplate jdbc;

    public StatusAggregationRepository(DataSource dataSource, long recoveryIntervalMs) {
        super(new DataSourceTransactionManager(dataSource), NAME, dataSource);
        this.jdbc = new JdbcTemplate(dataSource);
        setUseRecovery(true);
        setRecoveryInterval(recoveryIntervalMs);
    }

    @Override
    public boolean confirmWithResult(CamelContext context, String exchangeId) {
        jdbc.update("DELETE FROM " + NAME + "_completed WHERE id = ?", exchangeId);
        return true;
    }
}
