package io.herald.sms;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.api.Json;
import io.herald.status.ProviderReports.InvalidReportException;
import io.herald.store.StoredMessage;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Replies from handsets, posted by the SMS provider to {@code /callbacks/sms/inbound}
 * (docs/contract.md#the-upstream-sms-provider). {@code STOP} (any case, trimmed) opts the number out for the account
 * that last messaged it from the sender {@code to}, or, when none did, for the account that last messaged the number at
 * all. Other texts are acknowledged and ignored.
 */
public class OptOut {
    private static final Logger LOG = LoggerFactory.getLogger(OptOut.class);

    private final SmsHistory history;
    private final NumberRepository numbers;

    public OptOut(SmsHistory history, NumberRepository numbers) {
        this.history = history;
        this.numbers = numbers;
    }

    public Map<String, String> receive(Exchange exchange) {
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(exchange.getMessage().getBody(String.class));
        } catch (Exception e) {
            throw new InvalidReportException("invalid_json");
        }
        if (body == null || !body.isObject()) {
            throw new InvalidReportException("invalid_json");
        }
        String from = textual(body, "from");
        String to = textual(body, "to");
        String text = textual(body, "text");
        if (from == null || from.isBlank() || text == null) {
            throw new InvalidReportException("invalid_request");
        }
        if (!"STOP".equals(text.strip().toUpperCase(Locale.ROOT))) {
            return Map.of("status", "ok");
        }
        List<String> forms = SmsNumbers.storedForms(from);
        Optional<StoredMessage> last = (to == null ? Optional.<StoredMessage>empty() : history.lastSmsTo(forms, to))
                .or(() -> history.lastSmsTo(forms, null));
        if (last.isPresent()) {
            StoredMessage message = last.get();
            if (numbers.blacklist(message.accountId(), message.recipient(), NumberRepository.SOURCE_STOP)) {
                LOG.info("{} opted out of messages from account {}", message.recipient(), message.accountId());
            }
        } else {
            LOG.info("STOP from {} to {}: no account has messaged that number", from, to);
        }
        return Map.of("status", "ok");
    }

    private static String textual(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
