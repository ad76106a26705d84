package io.herald.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.store.Account;
import io.herald.store.AccountCache;
import io.herald.store.AccountRepository;
import io.herald.store.ApiKeyCache;
import io.herald.store.ApiKeyRepository;
import io.herald.store.ApiKeyRepository.KeyInfo;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The operator's account lists and changes (docs/lists.md): {@code GET /admin/accounts},
 * {@code PATCH /admin/accounts/{id}}, {@code GET /admin/accounts/{id}/keys}. Creating accounts and keys is
 * {@link AdminApi}'s.
 */
public class AccountsApi {
    private static final Set<String> CHANGEABLE = Set.of("name", "messageLimit", "allowedCountries", "requestsPerSecond",
            "disabled");

    private final AccountRepository accounts;
    private final ApiKeyRepository keys;
    private final AdminApi admin;
    private final AccountCache edgeAccounts;
    private final ApiKeyCache activeKeys;
    private final ListQuery.Limits limits;

    public AccountsApi(AccountRepository accounts, ApiKeyRepository keys, AdminApi admin, AccountCache edgeAccounts,
                       ApiKeyCache activeKeys, ListQuery.Limits limits) {
        this.accounts = accounts;
        this.keys = keys;
        this.admin = admin;
        this.edgeAccounts = edgeAccounts;
        this.activeKeys = activeKeys;
        this.limits = limits;
    }

    /** {@code GET /admin/accounts}: every account, newest first, with its usage. */
    public Map<String, Object> list(Exchange exchange) {
        ListQuery query = ListQuery.read(exchange, "accounts", limits, Set.of());
        return query.page(accounts.list(query.afterId(), query.limit() + 1), a -> AdminApi.view(a, true),
                a -> String.valueOf(a.id()));
    }

    /** {@code GET /admin/accounts/{id}/keys}: the account's keys, newest first; never a secret or its hash. */
    public Map<String, Object> keys(Exchange exchange, @Header("accountId") String accountId) {
        ListQuery query = ListQuery.read(exchange, "keys", limits, Set.of());
        Account account = admin.account(accountId);
        return query.page(keys.list(account.id(), query.afterId(), query.limit() + 1), AccountsApi::view,
                k -> String.valueOf(k.id()));
    }

    /**
     * {@code PATCH /admin/accounts/{id}}: changes the fields the body names (null: messageLimit none,
     * allowedCountries the default, requestsPerSecond the default). A disabled account's keys are refused as revoked
     * ones are, from the next request on this instance (others: within herald.cache.ttl).
     */
    public Map<String, Object> update(Exchange exchange, @Header("accountId") String accountId) {
        long id = admin.account(accountId).id();
        ObjectNode body = Json.requestObject(exchange);
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!CHANGEABLE.contains(name)) {
                throw ApiError.INVALID_FIELD.exception("unknown field '" + name + "'; an account's changeable fields are "
                        + String.join(", ", CHANGEABLE.stream().sorted().toList()));
            }
        }
        Long limit = Json.integer(body, "messageLimit");
        if (limit != null && limit < 0) {
            throw ApiError.INVALID_FIELD.exception("messageLimit must not be negative");
        }
        Long perSecond = Json.integer(body, "requestsPerSecond");
        if (perSecond != null && (perSecond < 1 || perSecond > 1_000_000)) {
            throw ApiError.INVALID_FIELD.exception("requestsPerSecond must be between 1 and 1000000");
        }
        JsonNode disabled = body.get("disabled");
        if (disabled != null && !disabled.isBoolean()) {
            throw Json.wrongType("disabled", "true or false");
        }
        String name = body.has("name") ? Json.storedText("name", Json.requiredText(body, "name"), 200) : null;
        List<String> countries = AdminApi.countries(body);
        accounts.update(id, new AccountRepository.Change(name,
                body.has("messageLimit") ? Optional.ofNullable(limit) : null,
                body.has("allowedCountries") ? Optional.ofNullable(countries) : null,
                body.has("requestsPerSecond") ? Optional.ofNullable(perSecond).map(Long::intValue) : null,
                disabled == null ? null : disabled.asBoolean()));
        edgeAccounts.forget(id);
        if (disabled != null) {
            activeKeys.forgetAccount(id);
        }
        return AdminApi.view(accounts.find(id).orElseThrow(), true);
    }

    private static Map<String, Object> view(KeyInfo k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", k.id());
        m.put("prefix", k.prefix());
        m.put("sandbox", k.sandbox());
        m.put("createdAt", ListQuery.at(k.createdAt()));
        m.put("lastUsedAt", ListQuery.at(k.lastUsedAt()));
        m.put("revoked", k.revokedAt() != null);
        m.put("revokedAt", ListQuery.at(k.revokedAt()));
        return m;
    }
}
