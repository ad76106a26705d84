package io.herald.security;

/** Who is calling: the account and API key of an authenticated tenant request. */
public record Principal(long accountId, long keyId, boolean sandbox) {
    public static final String PROPERTY = "heraldPrincipal";
}
