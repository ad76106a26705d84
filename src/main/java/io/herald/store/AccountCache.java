package io.herald.store;

import com.github.benmanes.caffeine.cache.Cache;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The account fields every tenant request reads — its country list and its rate-limit override — read once per
 * {@link CacheSettings#ttl()}. The message limit and usage are not here: they are read and reserved under a row lock
 * in the sending transaction ({@link AccountRepository#reserve}).
 */
public class AccountCache {
    /** {@code allowedCountries} null: the configured default; {@code rateLimit} null: the configured default. */
    public record EdgeAccount(List<String> allowedCountries, Integer rateLimit) {
    }

    private final Jdbc jdbc;
    private final Cache<Long, EdgeAccount> accounts;

    public AccountCache(Jdbc jdbc, CacheSettings settings) {
        this.jdbc = jdbc;
        this.accounts = settings.newCache();
    }

    public Optional<EdgeAccount> find(long accountId) {
        return Optional.ofNullable(accounts.get(accountId, id -> jdbc.queryOne(
                "SELECT allowed_countries, rate_limit FROM account WHERE id = ?", rs -> {
                    String countries = rs.getString("allowed_countries");
                    return new EdgeAccount(countries == null ? null
                            : Arrays.stream(countries.split(",")).filter(s -> !s.isBlank()).toList(),
                            (Integer) rs.getObject("rate_limit"));
                }, id).orElse(null)));
    }

    /** To be called after each change of an account's country list or rate-limit override. */
    public void forget(long accountId) {
        accounts.invalidate(accountId);
    }
}
