package io.herald.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.security.Secrets;
import io.herald.store.Account;
import io.herald.store.AccountRepository;
import io.herald.store.ApiKeyCache;
import io.herald.store.ApiKeyRepository;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** The operator API (docs/contract.md#accounts-keys-and-campaigns): accounts and their API keys. */
public class AdminApi {
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    /** How much of a key is kept in the clear to tell keys apart: {@code key_} and 4 of its 26 random characters. */
    static final int KEY_PREFIX = 8;

    private final AccountRepository accounts;
    private final ApiKeyRepository keys;
    private final ApiKeyCache activeKeys;

    public AdminApi(AccountRepository accounts, ApiKeyRepository keys, ApiKeyCache activeKeys) {
        this.accounts = accounts;
        this.keys = keys;
        this.activeKeys = activeKeys;
    }

    public Map<String, Object> createAccount(Exchange exchange) {
        ObjectNode body = RequestJson.requestObject(exchange);
        String name = RequestJson.storedText("name", RequestJson.requiredText(body, "name"), 200);
        Long limit = RequestJson.integer(body, "messageLimit");
        if (limit != null && limit < 0) {
            throw ApiError.INVALID_FIELD.exception("messageLimit must not be negative");
        }
        Account account = accounts.create(name, limit, countries(body), false);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 201);
        return view(account, false);
    }

    public Map<String, Object> getAccount(@Header("accountId") String accountId) {
        return view(account(accountId), true);
    }

    public Map<String, Object> createKey(Exchange exchange, @Header("accountId") String accountId) {
        Account account = account(accountId);
        boolean sandbox = false;
        String raw = RequestJson.bodyText(exchange);
        // a declared body type is read as one: a body the server consumed (a form) must not pass as "no options"
        boolean declared = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE) != null;
        if (declared || raw != null && !raw.isBlank()) {
            Boolean requested = RequestJson.bool(RequestJson.requestObject(exchange), "sandbox");
            sandbox = requested != null && requested;
        }
        return issueKey(account.id(), sandbox, exchange);
    }

    public Map<String, Object> issueKey(long accountId, boolean sandbox, Exchange exchange) {
        String apiKey = Secrets.newApiKey();
        String apiSecret = Secrets.newApiSecret();
        long id = keys.create(accountId, Secrets.sha256(apiKey), Secrets.sha256(apiSecret), sandbox,
                apiKey.substring(0, KEY_PREFIX));
        if (exchange != null) {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 201);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", id);
        answer.put("apiKey", apiKey);
        answer.put("apiSecret", apiSecret);
        answer.put("sandbox", sandbox);
        return answer;
    }

    public void revokeKey(Exchange exchange, @Header("accountId") String accountId, @Header("keyId") String keyId) {
        Account account = account(accountId);
        if (!activeKeys.revoke(account.id(), parseId(keyId, "API key"))) {
            throw ApiError.NOT_FOUND.exception("API key not found");
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
        exchange.getMessage().setBody(null);
    }

    Account account(String accountId) {
        return accounts.find(parseId(accountId, "Account")).orElseThrow(() -> ApiError.NOT_FOUND.exception("Account not found"));
    }

    static long parseId(String raw, String what) {
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw ApiError.NOT_FOUND.exception(what + " not found");
        }
    }

    static List<String> countries(ObjectNode body) {
        JsonNode node = body.get("allowedCountries");
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            throw ApiError.wrongType("allowedCountries", "an array of ISO 3166 alpha-2 codes");
        }
        List<String> codes = new ArrayList<>();
        for (JsonNode c : node) {
            if (!c.isTextual()) {
                throw ApiError.wrongType("allowedCountries", "an array of ISO 3166 alpha-2 codes");
            }
            String code = c.asText().trim().toUpperCase(Locale.ROOT);
            if (!COUNTRY.matcher(code).matches() || !List.of(Locale.getISOCountries()).contains(code)) {
                throw ApiError.INVALID_FIELD.exception("allowedCountries: unknown country " + c.asText());
            }
            codes.add(code);
        }
        return codes;
    }

    static Map<String, Object> view(Account account, boolean withUsage) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", account.id());
        m.put("name", account.name());
        m.put("messageLimit", account.messageLimit());
        m.put("allowedCountries", account.allowedCountries());
        if (withUsage) {
            m.put("messagesSent", account.messagesSent());
        }
        m.put("requestsPerSecond", account.rateLimit());
        m.put("disabled", account.disabledAt() != null);
        m.put("disabledAt", ListQuery.at(account.disabledAt()));
        m.put("createdAt", ListQuery.at(account.createdAt()));
        return m;
    }
}
