package io.herald.sms;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PriceListTest {

    @Test
    void longestMatchingPrefixWinsElseTheDefault() {
        PriceList prices = PriceList.parse("0.01", "0333:0.02, 03339:0.035 ,+30:0.05");
        assertThat(prices.priceOf("033312345678901")).isEqualByComparingTo("0.02");
        assertThat(prices.priceOf("033391234567890")).isEqualByComparingTo("0.035");
        assertThat(prices.priceOf("+306936862208")).isEqualByComparingTo("0.05");
        assertThat(prices.priceOf("+14155550123")).isEqualByComparingTo("0.01");
        assertThat(prices.priceOf("jane@example.com")).isEqualByComparingTo("0.01");
    }

    @Test
    void emptyConfigurationMeansFree() {
        PriceList prices = PriceList.parse("", "");
        assertThat(prices.priceOf("033312345678901")).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(PriceList.asJson(prices.priceOf("0"))).isEqualTo(0.0);
    }

    @Test
    void malformedEntriesStopTheStart() {
        assertThatThrownBy(() -> PriceList.parse("0.0", "0333=0.02")).hasMessageContaining("prefix:price");
        assertThatThrownBy(() -> PriceList.parse("0.0", "abc:0.02")).hasMessageContaining("prefix:price");
        assertThatThrownBy(() -> PriceList.parse("free", "")).hasMessageContaining("not a price");
        assertThatThrownBy(() -> PriceList.parse("0.0", "03:-1")).hasMessageContaining("negative");
    }
}
