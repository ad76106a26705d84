package io.herald.callbacks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.herald.api.Json;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * Gathers one message's status events (SENT, then its final state) into a JSON array; the aggregate is complete
 * once it holds a final state ({@link StatusEvents#FINAL_STATUS}). Body and headers are plain strings, as the
 * persistent aggregation repository stores them.
 */
public class StatusEventAggregation implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        String event = newExchange.getMessage().getBody(String.class);
        if (oldExchange == null) {
            ArrayNode events = Json.MAPPER.createArrayNode();
            events.add(StatusEvents.read(event));
            newExchange.getMessage().setBody(Json.write(events));
            return newExchange;
        }
        ArrayNode events = (ArrayNode) StatusEvents.read(oldExchange.getMessage().getBody(String.class));
        events.add(StatusEvents.read(event));
        oldExchange.getMessage().setBody(Json.write(events));
        String finalStatus = newExchange.getMessage().getHeader(StatusEvents.FINAL_STATUS, String.class);
        if (finalStatus != null) {
            oldExchange.getMessage().setHeader(StatusEvents.FINAL_STATUS, finalStatus);
        }
        return oldExchange;
    }
}
