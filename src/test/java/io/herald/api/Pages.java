package io.herald.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.support.HeraldApp.Response;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** Walks a list endpoint's pages (docs/lists.md) the way a client does: passing each answer's next cursor back. */
public final class Pages {
    private Pages() {
    }

    /**
     * Every item of the list, page by page: {@code get} answers a page for a query suffix ({@code ""} or
     * {@code "cursor=..."}); each page is checked for its shape and its size ({@code limit}).
     */
    public static List<JsonNode> all(Function<String, Response> get, int limit) {
        List<JsonNode> items = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 1000; page++) {
            JsonNode answer = get.apply(cursor == null ? "" : "cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8))
                    .expect(200).json();
            assertThat(CoSenderMessagesTest.fieldNames(answer)).containsExactly("items", "next");
            assertThat(answer.get("items").size()).as(answer.toString()).isLessThanOrEqualTo(limit);
            answer.get("items").forEach(items::add);
            if (answer.get("next").isNull()) {
                return items;
            }
            assertThat(answer.get("items").size()).as("a page before the last is full").isEqualTo(limit);
            cursor = answer.get("next").asText();
        }
        throw new AssertionError("more than 1000 pages");
    }

    public static List<Long> longs(List<JsonNode> items, String field) {
        return items.stream().map(i -> i.get(field).asLong()).toList();
    }
}
