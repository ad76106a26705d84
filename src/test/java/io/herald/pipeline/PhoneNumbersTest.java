package io.herald.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneNumbersTest {

    private static final List<String> ALL = List.of();
    private static final List<String> US = List.of("US");
    private static final List<String> GR = List.of("GR");
    private static final List<String> GB = List.of("GB");

    @Test
    void seedSampleWithoutPlusIsReadAsInternationalUsNumber() {
        assertThat(PhoneNumbers.toE164("13108713613", US, true)).contains("+13108713613");
        assertThat(PhoneNumbers.toE164("13108713613", ALL, true)).contains("+13108713613");
        assertThat(PhoneNumbers.toE164("13108713613", List.of("GR", "US"), true)).contains("+13108713613");
    }

    @Test
    void libphonenumberCannotTellUsMobilesFromFixedLines() {
        var util = PhoneNumberUtil.getInstance();
        var number = util.getExampleNumber("US");
        assertThat(util.getNumberType(number)).isEqualTo(PhoneNumberType.FIXED_LINE_OR_MOBILE);
        assertThat(PhoneNumbers.toE164("+1 310 871 3613", US, true)).contains("+13108713613");
    }

    @Test
    void usNumberIsRejectedWhenUsIsNotAllowed() {
        assertThat(PhoneNumbers.toE164("13108713613", GR, true)).isEmpty();
        assertThat(PhoneNumbers.toE164("+13108713613", GR, false)).isEmpty();
    }

    @Test
    void usNationalNumberWithoutCountryCode() {
        assertThat(PhoneNumbers.toE164("3108713613", US, true)).contains("+13108713613");
        assertThat(PhoneNumbers.toE164("(310) 871-3613", US, true)).contains("+13108713613");
    }

    @Test
    void greekMobileWithoutCountryCodeIsReadAsNationalNumber() {
        assertThat(PhoneNumbers.toE164("6936862208", GR, true)).contains("+306936862208");
        assertThat(PhoneNumbers.toE164("6936862208", List.of("US", "GR"), true)).contains("+306936862208");
        assertThat(PhoneNumbers.toE164("+306936862208", GR, true)).contains("+306936862208");
        assertThat(PhoneNumbers.toE164("306936862208", GR, true)).contains("+306936862208");
    }

    @Test
    void withEveryRegionAllowedANumberMustCarryItsCountryCode() {
        assertThat(PhoneNumbers.toE164("6936862208", ALL, true)).isEmpty();
        assertThat(PhoneNumbers.toE164("6936862208", null, true)).isEmpty();
        assertThat(PhoneNumbers.toE164("1936862208", ALL, false)).isEmpty();
        assertThat(PhoneNumbers.toE164("1936862208", ALL, true)).isEmpty();
        assertThat(PhoneNumbers.toE164("306936862208", ALL, true)).contains("+306936862208");
        assertThat(PhoneNumbers.toE164("+306936862208", ALL, true)).contains("+306936862208");
    }

    @Test
    void greekMobileIsRejectedWhenGreeceIsNotAllowed() {
        assertThat(PhoneNumbers.toE164("6936862208", US, true)).isEmpty();
        assertThat(PhoneNumbers.toE164("+306936862208", US, false)).isEmpty();
    }

    @Test
    void nonsenseGreekLookingNumberIsInvalid() {
        assertThat(PhoneNumbers.toE164("1936862208", GR, true)).isEmpty();
        assertThat(PhoneNumbers.toE164("1936862208", GR, false)).isEmpty();
        assertThat(PhoneNumbers.toE164("1936862208", List.of("GR", "US"), false)).isEmpty();
        assertThat(PhoneNumbers.toE164("+1936862208", ALL, false)).isEmpty();
    }

    @Test
    void greekNumbersHaveNoTrunkPrefix() {
        assertThat(PhoneNumbers.toE164("06936862208", GR, true)).isEmpty();
    }

    @Test
    void internationalDialingPrefixOfTheRegionIsUnderstood() {
        assertThat(PhoneNumbers.toE164("00306936862208", GR, true)).contains("+306936862208");
        assertThat(PhoneNumbers.toE164("011 30 693 686 2208", List.of("US", "GR"), true)).contains("+306936862208");
    }

    @Test
    void ukMobileInGbRegion() {
        assertThat(PhoneNumbers.toE164("+44 7400 123456", GB, true)).contains("+447400123456");
        assertThat(PhoneNumbers.toE164("07400 123456", GB, true)).contains("+447400123456");
        assertThat(PhoneNumbers.toE164("447400123456", GB, true)).contains("+447400123456");
        assertThat(PhoneNumbers.toE164("+44 7911 234567", GB, true)).contains("+447911234567");
    }

    @Test
    void plus44_7911_123456IsAGuernseyNumberForLibphonenumber() {
        assertThat(PhoneNumbers.toE164("+44 7911 123456", GB, true)).isEmpty();
        assertThat(PhoneNumbers.toE164("+44 7911 123456", List.of("GG"), true)).contains("+447911123456");
        assertThat(PhoneNumbers.toE164("+44 7911 123456", List.of("GB", "GG"), true)).contains("+447911123456");
        assertThat(PhoneNumbers.toE164("+44 7911 123456", ALL, true)).contains("+447911123456");
    }

    @Test
    void ukMobileIsRejectedWhenOnlyUsIsAllowed() {
        assertThat(PhoneNumbers.toE164("+44 7911 123456", US, true)).isEmpty();
        assertThat(PhoneNumbers.toE164("+44 7400 123456", US, true)).isEmpty();
        assertThat(PhoneNumbers.toE164("+44 7400 123456", US, false)).isEmpty();
    }

    @Test
    void fixedLineIsRejectedForSmsButAcceptedOtherwise() {
        assertThat(PhoneNumbers.toE164("+442079460000", GB, true)).isEmpty();
        assertThat(PhoneNumbers.toE164("+442079460000", GB, false)).contains("+442079460000");
        assertThat(PhoneNumbers.toE164("020 7946 0000", GB, false)).contains("+442079460000");
        assertThat(PhoneNumbers.toE164("+30 210 123 4567", GR, true)).isEmpty();
        assertThat(PhoneNumbers.toE164("+30 210 123 4567", GR, false)).contains("+302101234567");
    }

    @Test
    void nonGeographicNumbersAreNotInAnyAllowedCountry() {
        assertThat(PhoneNumbers.toE164("+800 1234 5678", ALL, false)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "+1 (310) 871-3613",
            "+1 310.871.3613",
            "+1-310-871-3613",
            "+1 [310] 871 3613",
            "  +13108713613  ",
            "1 (310) 871-3613",
    })
    void formattingCharactersAreIgnored(String raw) {
        assertThat(PhoneNumbers.toE164(raw, US, true)).contains("+13108713613");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "   ",
            "abc",
            "+",
            "123",
            "+123",
            "++13108713613",
            "1+3108713613",
            "+1 310 871 3613 ext. 12",
            "+13108713613x12",
            "13108713613\r\nBcc: x",
            "+1310871\r\n3613",
            "+1310871\t3613",
            "+1310871/3613",
            "+1310871_3613",
            "a@b.com",
            "tel:+13108713613",
            "123456789012345678",
            "+000000000000",
            "１３１０８７１３６１３",
    })
    void garbageIsInvalid(String raw) {
        assertThat(PhoneNumbers.toE164(raw, ALL, false)).isEmpty();
    }

    @Test
    void nullIsInvalid() {
        assertThat(PhoneNumbers.toE164(null, ALL, false)).isEmpty();
    }

    @Test
    void regionPreferenceOrderDecidesAmbiguousNationalNumbers() {
        assertThat(PhoneNumbers.toE164("+2102345678", ALL, false)).isEmpty();
        assertThat(PhoneNumbers.toE164("2102345678", List.of("GR", "US"), false)).contains("+302102345678");
        assertThat(PhoneNumbers.toE164("2102345678", List.of("US", "GR"), false)).contains("+12102345678");
        assertThat(PhoneNumbers.toE164("2102345678", List.of("GR", "US"), true)).contains("+12102345678");
    }

    @Test
    void regionCodesAreCaseInsensitive() {
        assertThat(PhoneNumbers.toE164("6936862208", List.of("gr"), true)).contains("+306936862208");
    }

    @Test
    void unknownRegionCodesAreHarmless() {
        assertThat(PhoneNumbers.toE164("6936862208", List.of("XX", "GR"), true)).contains("+306936862208");
        assertThat(PhoneNumbers.toE164("6936862208", List.of("XX"), true)).isEmpty();
    }
}
