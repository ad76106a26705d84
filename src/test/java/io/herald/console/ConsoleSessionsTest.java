package io.herald.console;

import io.herald.console.ConsoleSessions.Kind;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleSessionsTest {
    /** A clock the test moves by hand. */
    static final class HandClock extends Clock {
        Instant now = Instant.parse("2026-12-06T12:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final HandClock clock = new HandClock();
    final ConsoleSessions sessions = new ConsoleSessions(Duration.ofMinutes(30), clock);

    @Test
    void theCookieValueIsRandomAndNotTheCredential() {
        String a = sessions.open(Kind.TENANT, "key_secret", 1L, 2L, true);
        String b = sessions.open(Kind.TENANT, "key_secret", 1L, 2L, true);
        assertThat(a).isNotEqualTo(b).doesNotContain("key_secret").hasSizeGreaterThanOrEqualTo(43);
        assertThat(sessions.find(a).orElseThrow().credential()).isEqualTo("key_secret");
        assertThat(sessions.find(a).orElseThrow().csrf()).isNotEqualTo(sessions.find(b).orElseThrow().csrf());
    }

    @Test
    void aSessionEndsAfterItsIdleTimeAndEachRequestRestartsIt() {
        String id = sessions.open(Kind.OPERATOR, "token", null, null, false);
        clock.now = clock.now.plus(Duration.ofMinutes(29));
        assertThat(sessions.find(id)).isPresent();
        clock.now = clock.now.plus(Duration.ofMinutes(29));
        assertThat(sessions.find(id)).isPresent();
        clock.now = clock.now.plus(Duration.ofMinutes(31));
        assertThat(sessions.find(id)).isEmpty();
        clock.now = clock.now.minus(Duration.ofMinutes(31));
        assertThat(sessions.find(id)).as("an expired session is gone for good").isEmpty();
    }

    @Test
    void signingOutEndsTheSessionAndUnknownIdsFindNothing() {
        String id = sessions.open(Kind.OPERATOR, "token", null, null, false);
        sessions.close(id);
        assertThat(sessions.find(id)).isEmpty();
        assertThat(sessions.find(null)).isEmpty();
        assertThat(sessions.find("")).isEmpty();
        assertThat(sessions.find("x".repeat(500))).isEmpty();
    }

    @Test
    void onlyTheOwnKindsPathsAreForwarded() {
        assertThat(ConsoleProxy.allowed(Kind.OPERATOR, "/admin/accounts")).isTrue();
        assertThat(ConsoleProxy.allowed(Kind.OPERATOR, "/v1/campaigns")).isFalse();
        assertThat(ConsoleProxy.allowed(Kind.TENANT, "/v1/campaigns")).isTrue();
        assertThat(ConsoleProxy.allowed(Kind.TENANT, "/admin/accounts")).isFalse();
        assertThat(ConsoleProxy.allowed(Kind.TENANT, "/observe/metrics")).isFalse();
        assertThat(ConsoleProxy.allowed(Kind.TENANT, "/v1/../admin/accounts")).isFalse();
        assertThat(ConsoleProxy.allowed(Kind.TENANT, "/v1//admin")).isFalse();
        assertThat(ConsoleProxy.allowed(Kind.TENANT, "/v1/%2E%2e/admin/accounts")).isFalse();
    }

    @Test
    void theCookieIsHttpOnlyStrictAndSecureBehindHttps() {
        assertThat(ConsoleModule.secureCookies("https://herald.example.com")).isTrue();
        assertThat(ConsoleModule.secureCookies("HTTPS://herald.example.com")).isTrue();
        assertThat(ConsoleModule.secureCookies("http://localhost:8080")).isFalse();
        String secure = ConsoleServer.sessionCookie("abc", true).encode();
        assertThat(secure).contains("herald_console=abc").containsIgnoringCase("HttpOnly").contains("SameSite=Strict")
                .contains("Secure").contains("Path=/console");
        assertThat(ConsoleServer.sessionCookie("abc", false).encode()).doesNotContain("Secure");
    }
}
