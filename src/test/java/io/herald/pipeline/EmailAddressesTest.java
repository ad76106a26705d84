package io.herald.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EmailAddressesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "email@domain.com|email@domain.com",
            "john.doe+newsletter@example.com|john.doe+newsletter@example.com",
            "user@mail.eu.example.co.uk|user@mail.eu.example.co.uk",
            "Mixed.Case@EXAMPLE.COM|Mixed.Case@example.com",
            "a@b.io|a@b.io",
            "o'brien@example.ie|o'brien@example.ie",
            "user_name-1@sub-domain.example.org|user_name-1@sub-domain.example.org",
            "1234@123.example.com|1234@123.example.com",
            "x@xn--bcher-kva.example|x@xn--bcher-kva.example",
            "x@example.xn--p1ai|x@example.xn--p1ai",
            "x@EXAMPLE.XN--P1AI|x@example.xn--p1ai",
            "μαρία@παράδειγμα.ελ|μαρία@παράδειγμα.ελ",
            "José@Bücher.DE|José@bücher.de",
            "用户@例子.广告|用户@例子.广告",
    })
    void validAddresses(String raw, String expected) {
        assertThat(EmailAddresses.normalise(raw)).contains(expected);
    }

    @Test
    void everyAtextSymbolIsAllowedInTheLocalPart() {
        String address = "!#$%&'*+/=?^_`{|}~-.x@example.com";
        assertThat(EmailAddresses.normalise(address)).contains(address);
    }

    @Test
    void surroundingWhitespaceIsTrimmed() {
        assertThat(EmailAddresses.normalise("  email@Domain.com\t")).contains("email@domain.com");
    }

    @Test
    void localPartCaseIsPreserved() {
        assertThat(EmailAddresses.normalise("John.DOE@Example.COM")).contains("John.DOE@example.com");
    }

    @Test
    void lengthLimits() {
        String local64 = "a".repeat(64);
        assertThat(EmailAddresses.normalise(local64 + "@example.com")).contains(local64 + "@example.com");
        assertThat(EmailAddresses.normalise("a".repeat(65) + "@example.com")).isEmpty();

        String label63 = "b".repeat(63);
        assertThat(EmailAddresses.normalise("a@" + label63 + ".com")).isPresent();
        assertThat(EmailAddresses.normalise("a@" + "b".repeat(64) + ".com")).isEmpty();

        String domain = "c".repeat(63) + "." + "d".repeat(63) + "." + "e".repeat(63) + ".com";
        String at254 = "f".repeat(254 - 1 - domain.length()) + "@" + domain;
        assertThat(at254).hasSize(254);
        assertThat(EmailAddresses.normalise(at254)).contains(at254);
        assertThat(EmailAddresses.normalise("f" + at254)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "   ",
            "plainaddress",
            "@domain.com",
            "email@",
            "email@domain",
            "email@localhost",
            "a@b@c.com",
            "\"a b\"@c.com",
            "\"ab\"@c.com",
            "John <a@b.com>",
            "<a@b.com>",
            "a@b.com, c@d.com",
            "a@b.com,c@d.com",
            "a@b.com;c@d.com",
            "a:b@c.com",
            "a(comment)@b.com",
            "a@b.com (comment)",
            ".a@b.com",
            "a.@b.com",
            "a..b@c.com",
            "a@-b.com",
            "a@b-.com",
            "a@.b.com",
            "a@b..com",
            "a@b.com.",
            "a@b.c",
            "a@b.c0m",
            "a@b.123",
            "a@1.2.3.4",
            "a@[1.2.3.4]",
            "a@b_c.com",
            "a b@c.com",
            "a@b c.com",
            "a\\b@c.com",
            "a@b.com\u0000",
            "a\u0000@b.com",
            "a\tb@c.com",
            "a\u00A0b@c.com",
            "a\u200Bb@c.com",
            "a@b.xn--",
            "a@b.xn---",
    })
    void invalidAddresses(String raw) {
        assertThat(EmailAddresses.normalise(raw)).isEmpty();
    }

    @Test
    void headerInjectionAttemptsAreInvalid() {
        assertThat(EmailAddresses.normalise("a\r\nBcc: x@y.com@d.com")).isEmpty();
        assertThat(EmailAddresses.normalise("a@d.com\r\nBcc: x@y.com")).isEmpty();
        assertThat(EmailAddresses.normalise("a@d.com\nBcc:x@y.com")).isEmpty();
        assertThat(EmailAddresses.normalise("a@d.c\rom")).isEmpty();
        assertThat(EmailAddresses.normalise("a\n@d.com")).isEmpty();
    }

    @Test
    void trailingLineBreakIsTrimmedLikeAnyOuterWhitespace() {
        assertThat(EmailAddresses.normalise("a@d.com\r\n")).contains("a@d.com");
    }

    @Test
    void nullIsInvalid() {
        assertThat(EmailAddresses.normalise(null)).isEmpty();
    }
}
