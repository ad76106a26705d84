package io.herald.sms;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SmsNumbersTest {

    @Test
    void cosmosVirtualNumbersAreKeptAsGiven() {
        assertThat(SmsNumbers.isCosmosVirtual("033334445566770")).isTrue();
        assertThat(SmsNumbers.isCosmosVirtual("33334445566770")).isFalse();
        assertThat(SmsNumbers.isCosmosVirtual("0333344455667701")).isFalse();
        assertThat(SmsNumbers.normalise(" 033334445566770 ", List.of())).contains("033334445566770");
    }

    @Test
    void otherNumbersBecomeE164InTheAllowedCountries() {
        assertThat(SmsNumbers.normalise("+30 693 686 2208", List.of())).contains("+306936862208");
        assertThat(SmsNumbers.normalise("6936862208", List.of("GR"))).contains("+306936862208");
        assertThat(SmsNumbers.normalise("6936862208", List.of())).isEmpty();
        assertThat(SmsNumbers.normalise("+12025550123", List.of("GR"))).isEmpty();
        assertThat(SmsNumbers.normalise("nonsense", List.of())).isEmpty();
        assertThat(SmsNumbers.normalise(null, List.of())).isEmpty();
    }

    @Test
    void inboundNumbersMatchTheFormsTheyMayBeStoredIn() {
        assertThat(SmsNumbers.storedForms("306936862208")).containsExactly("+306936862208", "306936862208");
        assertThat(SmsNumbers.storedForms("+30 693 686 2208")).startsWith("+306936862208", "306936862208");
        assertThat(SmsNumbers.storedForms("033334445566770")).containsExactly("033334445566770");
        assertThat(SmsNumbers.storedForms("  ")).isEmpty();
    }
}
