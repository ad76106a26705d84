package io.herald.api.cosmos;

import io.herald.pipeline.DialectRecord;
import io.herald.sms.PriceList;
import io.herald.store.Batch;
import io.herald.store.Jdbc;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * What a COSMOS request adds to its canonical message: the price it was answered with and the callback URL. Stored by
 * the accept pipeline in the transaction that stores the message (a {@link DialectRecord}), so a message accepted
 * through COSMOS always has them, also when Herald stopped right after the commit.
 */
public class CosmosMessages implements DialectRecord {
    public record CosmosMessage(String messageId, BigDecimal price, String callbackUrl) {
    }

    private final Jdbc jdbc;
    private final PriceList prices;

    public CosmosMessages(Jdbc jdbc, PriceList prices) {
        this.jdbc = jdbc;
        this.prices = prices;
    }

    @Override
    public void store(Batch batch, List<Accepted> messages) {
        for (Accepted m : messages) {
            batch.add("INSERT INTO cosmos_message (message_id, price, callback_url) VALUES (?, ?, ?)", m.messageId(),
                    prices.priceOf(m.recipient().address()), m.recipient().callbackUrl());
        }
    }

    public Optional<CosmosMessage> find(String messageId) {
        return jdbc.queryOne("SELECT * FROM cosmos_message WHERE message_id = ?",
                rs -> new CosmosMessage(rs.getString("message_id"), rs.getBigDecimal("price"), rs.getString("callback_url")),
                messageId);
    }
}
