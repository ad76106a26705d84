package io.herald.api.cosmos;

import io.herald.store.Jdbc;

import java.math.BigDecimal;
import java.util.Optional;

/** What a COSMOS request adds to its canonical message: the price it was answered with and the callback URL. */
public class CosmosMessages {
    public record CosmosMessage(String messageId, BigDecimal price, String callbackUrl) {
    }

    private final Jdbc jdbc;

    public CosmosMessages(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public void record(String messageId, BigDecimal price, String callbackUrl) {
        jdbc.update("INSERT INTO cosmos_message (message_id, price, callback_url) VALUES (?, ?, ?)", messageId, price, callbackUrl);
    }

    public Optional<CosmosMessage> find(String messageId) {
        return jdbc.queryOne("SELECT * FROM cosmos_message WHERE message_id = ?",
                rs -> new CosmosMessage(rs.getString("message_id"), rs.getBigDecimal("price"), rs.getString("callback_url")),
                messageId);
    }
}
