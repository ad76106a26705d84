package io.herald.sms;

import io.herald.api.RequestJson;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.api.ApiError;
import io.herald.api.ErrorObject;
import io.herald.pipeline.CampaignResolver;
import io.herald.security.Principal;
import io.herald.store.AccountCache;
import io.herald.store.AccountCache.EdgeAccount;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tenant's blacklist ({@code /v1/blacklist}): the numbers that opted out of the account's messages, listed,
 * added and removed. Numbers are COSMOS virtual numbers or phone numbers (stored in E.164).
 */
public class BlacklistApi {
    private final NumberRepository numbers;
    private final AccountCache accounts;
    private final List<String> defaultCountries;

    public BlacklistApi(NumberRepository numbers, AccountCache accounts, String defaultCountries) {
        this.numbers = numbers;
        this.accounts = accounts;
        this.defaultCountries = CampaignResolver.parseCountries(defaultCountries);
    }

    public Map<String, Object> list(@ExchangeProperty(Principal.PROPERTY) Principal principal) {
        return Map.of("numbers", numbers.blacklist(principal.accountId()).stream().map(BlacklistApi::view).toList());
    }

    public Map<String, Object> add(Exchange exchange, @ExchangeProperty(Principal.PROPERTY) Principal principal) {
        ObjectNode body = RequestJson.requestObject(exchange);
        String number = normalise(principal, RequestJson.requiredText(body, "number"))
                .orElseThrow(() -> ApiError.INVALID_FIELD.exception("number must be a phone number or a COSMOS virtual number"));
        boolean created = numbers.blacklist(principal.accountId(), number, NumberRepository.SOURCE_API);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, created ? 201 : 200);
        return view(numbers.blacklistEntry(principal.accountId(), number).orElseThrow());
    }

    public void remove(Exchange exchange, @Header("number") String raw, @ExchangeProperty(Principal.PROPERTY) Principal principal) {
        String number = normalise(principal, raw).orElseThrow(() -> ApiError.NOT_FOUND.exception("Number is not on the blacklist"));
        if (!numbers.unblacklist(principal.accountId(), number)) {
            throw ApiError.NOT_FOUND.exception("Number is not on the blacklist");
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
        exchange.getMessage().setBody(null);
    }

    private java.util.Optional<String> normalise(Principal principal, String raw) {
        EdgeAccount account = accounts.find(principal.accountId()).orElseThrow();
        return SmsNumbers.normalise(raw, account.allowedCountries() != null ? account.allowedCountries() : defaultCountries);
    }

    private static Map<String, Object> view(NumberRepository.BlacklistEntry entry) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("number", entry.number());
        m.put("source", entry.source());
        m.put("createdAt", ErrorObject.TIMESTAMP.format(entry.createdAt()));
        return m;
    }
}
