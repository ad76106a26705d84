package io.herald.sms;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.sms.GsmAlphabet.Segments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GsmAlphabetTest {

    private static final String BASIC_TABLE =
            "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String EXTENSION_TABLE = "\f^{}\\[~]|€";

    @Test
    void wholeBasicTableIsGsmAndCostsOneSeptetEach() {
        assertThat(BASIC_TABLE).hasSize(127);
        assertThat(BASIC_TABLE.chars().distinct().count()).isEqualTo(127);
        assertThat(GsmAlphabet.isGsm(BASIC_TABLE)).isTrue();
        assertThat(GsmAlphabet.septets(BASIC_TABLE)).isEqualTo(127);
    }

    @Test
    void wholeExtensionTableIsGsmAndCostsTwoSeptetsEach() {
        assertThat(GsmAlphabet.isGsm(EXTENSION_TABLE)).isTrue();
        assertThat(GsmAlphabet.septets(EXTENSION_TABLE)).isEqualTo(20);
    }

    @Test
    void noOtherBmpCharacterIsGsm() {
        String all = BASIC_TABLE + EXTENSION_TABLE;
        int gsm = 0;
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            if (GsmAlphabet.isGsm(String.valueOf(c))) {
                gsm++;
                assertThat(all.indexOf(c)).as("U+%04X", (int) c).isNotNegative();
            }
        }
        assertThat(gsm).isEqualTo(137);
    }

    @Test
    void escapeCharacterIsNotText() {
        assertThat(GsmAlphabet.isGsm("\u001B")).isFalse();
        assertThat(GsmAlphabet.isGsm("abc\u001B(")).isFalse();
    }

    @Test
    void greekCapitalsOfTheTableAreGsm() {
        assertThat(GsmAlphabet.isGsm("ΔΦΓΛΩΠΨΣΘΞ")).isTrue();
        assertThat(GsmAlphabet.septets("ΔΦΓΛΩΠΨΣΘΞ")).isEqualTo(10);
    }

    @ParameterizedTest
    @ValueSource(strings = {"α", "δ", "ω", "Γειά σου", "Β", "Α", "ç", "á", "í", "ó", "ú", "â", "ê", "Ä\u0308",
            "مرحبا", "Привет", "你好", "😀", "\t", "\u0000", "`", "\u00A0", "’", "“", "…"})
    void charactersOutsideTheTablesAreNotGsm(String text) {
        assertThat(GsmAlphabet.isGsm(text)).isFalse();
    }

    @Test
    void mixedTextIsNotGsmAsSoonAsOneCharacterIsOutside() {
        assertThat(GsmAlphabet.isGsm("Hello world!")).isTrue();
        assertThat(GsmAlphabet.isGsm("Hello world! 😀")).isFalse();
        assertThat(GsmAlphabet.isGsm("Price 5€ [promo] ^_^ {ok} ~x | \\")).isTrue();
    }

    @Test
    void nullAndEmpty() {
        assertThat(GsmAlphabet.isGsm(null)).isFalse();
        assertThat(GsmAlphabet.isGsm("")).isTrue();
        assertThat(GsmAlphabet.septets("")).isZero();
        assertThat(GsmAlphabet.segments("")).isEqualTo(new Segments("GSM-7", 1, 0));
    }

    @Test
    void extensionCharactersCountTwo() {
        assertThat(GsmAlphabet.septets("€")).isEqualTo(2);
        assertThat(GsmAlphabet.septets("[")).isEqualTo(2);
        assertThat(GsmAlphabet.septets("^")).isEqualTo(2);
        assertThat(GsmAlphabet.septets("a€b[c]")).isEqualTo(9);
    }

    @Test
    void gsmSingleSegmentBoundary() {
        assertThat(GsmAlphabet.segments("a".repeat(160))).isEqualTo(new Segments("GSM-7", 1, 160));
        assertThat(GsmAlphabet.segments("a".repeat(161))).isEqualTo(new Segments("GSM-7", 2, 161));
        assertThat(GsmAlphabet.segments("€".repeat(80))).isEqualTo(new Segments("GSM-7", 1, 160));
        assertThat(GsmAlphabet.segments("a" + "€".repeat(80))).isEqualTo(new Segments("GSM-7", 2, 161));
    }

    @Test
    void gsmMultipartBoundaries() {
        assertThat(GsmAlphabet.segments("a".repeat(306))).isEqualTo(new Segments("GSM-7", 2, 306));
        assertThat(GsmAlphabet.segments("a".repeat(307))).isEqualTo(new Segments("GSM-7", 3, 307));
        assertThat(GsmAlphabet.segments("a".repeat(459))).isEqualTo(new Segments("GSM-7", 3, 459));
        assertThat(GsmAlphabet.segments("a".repeat(460))).isEqualTo(new Segments("GSM-7", 4, 460));
    }

    @Test
    void extensionCharacterIsNotSplitAcrossParts() {
        String fits = "a".repeat(151) + "€" + "a".repeat(153);
        assertThat(GsmAlphabet.segments(fits)).isEqualTo(new Segments("GSM-7", 2, 306));

        String straddles = "a".repeat(152) + "€" + "a".repeat(152);
        assertThat(GsmAlphabet.septets(straddles)).isEqualTo(306);
        assertThat(GsmAlphabet.segments(straddles)).isEqualTo(new Segments("GSM-7", 3, 306));
    }

    @Test
    void ucs2SingleSegmentBoundary() {
        assertThat(GsmAlphabet.segments("ж".repeat(70))).isEqualTo(new Segments("UCS-2", 1, 70));
        assertThat(GsmAlphabet.segments("ж".repeat(71))).isEqualTo(new Segments("UCS-2", 2, 71));
    }

    @Test
    void ucs2MultipartBoundaries() {
        assertThat(GsmAlphabet.segments("ж".repeat(134))).isEqualTo(new Segments("UCS-2", 2, 134));
        assertThat(GsmAlphabet.segments("ж".repeat(135))).isEqualTo(new Segments("UCS-2", 3, 135));
        assertThat(GsmAlphabet.segments("ж".repeat(201))).isEqualTo(new Segments("UCS-2", 3, 201));
        assertThat(GsmAlphabet.segments("ж".repeat(202))).isEqualTo(new Segments("UCS-2", 4, 202));
    }

    @Test
    void oneNonGsmCharacterSwitchesTheWholeTextToUcs2() {
        String text = "a".repeat(69) + "α";
        assertThat(GsmAlphabet.segments(text)).isEqualTo(new Segments("UCS-2", 1, 70));
        assertThat(GsmAlphabet.segments("a".repeat(70) + "α")).isEqualTo(new Segments("UCS-2", 2, 71));
    }

    @Test
    void ucs2CountsExtensionCharactersOnce() {
        assertThat(GsmAlphabet.segments("€".repeat(69) + "α")).isEqualTo(new Segments("UCS-2", 1, 70));
    }

    @Test
    void emojiCountsTwoUtf16Units() {
        assertThat(GsmAlphabet.segments("😀")).isEqualTo(new Segments("UCS-2", 1, 2));
        assertThat(GsmAlphabet.segments("😀".repeat(35))).isEqualTo(new Segments("UCS-2", 1, 70));
        assertThat(GsmAlphabet.segments("😀".repeat(35) + "a")).isEqualTo(new Segments("UCS-2", 2, 71));
    }

    @Test
    void surrogatePairIsNotSplitAcrossParts() {
        String fits = "ж".repeat(65) + "😀" + "ж".repeat(67);
        assertThat(GsmAlphabet.segments(fits)).isEqualTo(new Segments("UCS-2", 2, 134));

        String straddles = "ж".repeat(66) + "😀" + "ж".repeat(66);
        assertThat(GsmAlphabet.segments(straddles)).isEqualTo(new Segments("UCS-2", 3, 134));
    }

    @Test
    void arabicIsUcs2() {
        assertThat(GsmAlphabet.segments("مرحبا بالعالم")).isEqualTo(new Segments("UCS-2", 1, 13));
    }

    @Test
    void cosmosGsmLimitIsUnder180Septets() {
        assertThat(GsmAlphabet.fitsCosmosLimit("a".repeat(179))).isTrue();
        assertThat(GsmAlphabet.fitsCosmosLimit("a".repeat(180))).isFalse();
        assertThat(GsmAlphabet.fitsCosmosLimit("a".repeat(177) + "€")).isTrue();
        assertThat(GsmAlphabet.fitsCosmosLimit("a".repeat(178) + "€")).isFalse();
        assertThat(GsmAlphabet.fitsCosmosLimit("€".repeat(90))).isFalse();
        assertThat(GsmAlphabet.fitsCosmosLimit("€".repeat(89))).isTrue();
    }

    @Test
    void cosmosUcs2LimitIsUnder70Units() {
        assertThat(GsmAlphabet.fitsCosmosLimit("α".repeat(69))).isTrue();
        assertThat(GsmAlphabet.fitsCosmosLimit("α".repeat(70))).isFalse();
        assertThat(GsmAlphabet.fitsCosmosLimit("€".repeat(68) + "α")).isTrue();
        assertThat(GsmAlphabet.fitsCosmosLimit("€".repeat(69) + "α")).isFalse();
        assertThat(GsmAlphabet.fitsCosmosLimit("😀".repeat(34) + "a")).isTrue();
        assertThat(GsmAlphabet.fitsCosmosLimit("😀".repeat(35))).isFalse();
    }

    @Test
    void cosmosRequiresText() {
        assertThat(GsmAlphabet.fitsCosmosLimit("")).isFalse();
        assertThat(GsmAlphabet.fitsCosmosLimit(null)).isFalse();
        assertThat(GsmAlphabet.fitsCosmosLimit("a")).isTrue();
        assertThat(GsmAlphabet.fitsCosmosLimit(" ")).isTrue();
    }

    @Test
    void greekTextWithLowercaseLettersIsUcs2() {
        String greek = "Καλημέρα, ο κωδικός σας είναι 1234";
        assertThat(GsmAlphabet.isGsm(greek)).isFalse();
        assertThat(GsmAlphabet.segments(greek)).isEqualTo(new Segments("UCS-2", 1, greek.length()));
        assertThat(GsmAlphabet.segments("Γ".repeat(161))).isEqualTo(new Segments("GSM-7", 2, 161));
        assertThat(GsmAlphabet.segments("γ".repeat(68))).isEqualTo(new Segments("UCS-2", 1, 68));
    }

    @Test
    void longArabicTextIsSplitIntoPartsOf67() {
        String arabic = "مرحبا بكم ".repeat(8);
        assertThat(arabic.length()).isEqualTo(80);
        assertThat(GsmAlphabet.segments(arabic)).isEqualTo(new Segments("UCS-2", 2, arabic.length()));
        assertThat(GsmAlphabet.fitsCosmosLimit(arabic)).isFalse();
    }

    @Test
    void oneEmojiTurnsALongGsmTextIntoUcs2Parts() {
        String text = "a".repeat(100) + "😀";
        assertThat(GsmAlphabet.segments("a".repeat(100))).isEqualTo(new Segments("GSM-7", 1, 100));
        assertThat(GsmAlphabet.segments(text)).isEqualTo(new Segments("UCS-2", 2, 102));
    }

    @Test
    void euroBracketAndCaretCostTwoSeptetsAndCountTowardsTheParts() {
        String text = "Total 5€ [VAT incl.] ^_^";
        assertThat(GsmAlphabet.isGsm(text)).isTrue();
        assertThat(GsmAlphabet.septets(text)).isEqualTo(text.length() + 5);
        assertThat(GsmAlphabet.segments("€".repeat(77) + "[" + "^")).isEqualTo(new Segments("GSM-7", 1, 158));
        assertThat(GsmAlphabet.segments("€".repeat(79) + "[" + "^")).isEqualTo(new Segments("GSM-7", 2, 162));
        assertThat(GsmAlphabet.segments("[".repeat(80))).isEqualTo(new Segments("GSM-7", 1, 160));
        assertThat(GsmAlphabet.segments("[".repeat(81))).isEqualTo(new Segments("GSM-7", 2, 162));
    }
}
