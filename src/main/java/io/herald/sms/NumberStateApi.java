package io.herald.sms;

import io.herald.api.RequestJson;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.api.ApiError;
import io.herald.api.ErrorObject;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Operator API for number states ({@code /admin/numbers}): a number marked inactive is refused for every account
 * (COSMOS {@code failed}, elsewhere an invalid mobile) until it is marked active again.
 */
public class NumberStateApi {
    private final NumberRepository numbers;

    public NumberStateApi(NumberRepository numbers) {
        this.numbers = numbers;
    }

    public Map<String, Object> inactive() {
        return Map.of("inactive", numbers.inactive().stream().map(NumberStateApi::view).toList());
    }

    public Map<String, Object> get(@Header("number") String raw) {
        String number = number(raw);
        return numbers.state(number).map(NumberStateApi::view).orElseGet(() -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("number", number);
            m.put("active", true);
            m.put("updatedAt", null);
            return m;
        });
    }

    public Map<String, Object> put(Exchange exchange, @Header("number") String raw) {
        String number = number(raw);
        ObjectNode body = RequestJson.requestObject(exchange);
        Boolean active = RequestJson.bool(body, "active");
        if (active == null) {
            throw ApiError.INVALID_FIELD.exception("active is required");
        }
        return view(numbers.setActive(number, active));
    }

    /** Operators name numbers with their country code (or as COSMOS virtual numbers): no country list applies. */
    private static String number(String raw) {
        return SmsNumbers.normalise(raw, List.of())
                .orElseThrow(() -> ApiError.INVALID_FIELD.exception("number must be an international phone number or a COSMOS virtual number"));
    }

    private static Map<String, Object> view(NumberRepository.NumberState state) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("number", state.number());
        m.put("active", state.active());
        m.put("updatedAt", state.updatedAt() == null ? null : ErrorObject.TIMESTAMP.format(state.updatedAt()));
        return m;
    }
}
