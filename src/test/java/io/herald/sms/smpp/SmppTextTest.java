package io.herald.sms.smpp;

import io.herald.sms.GsmAlphabet;
import io.herald.sms.smpp.SmppText.LongMessages;
import org.jsmpp.bean.OptionalParameter;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Encoding and splitting of texts into submit_sm parts (SPEC §6). */
class SmppTextTest {
    private static final String GSM_ALL = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà\f^{}\\[~]|€";

    @Test
    void gsmTextIsOneSeptetPerOctetWithEscapesForTheExtensionTable() {
        SmppText.Encoded encoded = SmppText.encode("Hi @ 10€ [ok]", LongMessages.UDH, 7);
        assertThat(encoded.dataCoding()).isEqualTo(SmppText.GSM);
        assertThat(encoded.parts()).hasSize(1);
        SmppText.Part part = encoded.parts().get(0);
        assertThat(part.esmClass()).isZero();
        assertThat(part.tlvs()).isEmpty();
        assertThat(part.shortMessage()).containsExactly('H', 'i', ' ', 0x00, ' ', '1', '0', 0x1B, 0x65, ' ', 0x1B, 0x3C,
                'o', 'k', 0x1B, 0x3E);
    }

    @Test
    void theWholeGsmAlphabetGoesAndComesBack() {
        byte[] septets = GsmAlphabet.encode(GSM_ALL);
        assertThat(septets).hasSize(GsmAlphabet.septets(GSM_ALL));
        for (byte b : septets) {
            assertThat(b & 0xFF).isLessThan(0x80);
        }
        assertThat(GsmAlphabet.decode(septets)).isEqualTo(GSM_ALL);
        assertThatThrownBy(() -> GsmAlphabet.encode("Ж")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void otherTextIsUcs2() {
        SmppText.Encoded encoded = SmppText.encode("Γεια σου κόσμε", LongMessages.UDH, 7);
        assertThat(encoded.dataCoding()).isEqualTo(SmppText.UCS2);
        assertThat(encoded.parts().get(0).shortMessage()).isEqualTo("Γεια σου κόσμε".getBytes(StandardCharsets.UTF_16BE));
        assertThat(SmppText.decode(encoded.parts().get(0).shortMessage(), SmppText.UCS2, false)).isEqualTo("Γεια σου κόσμε");
    }

    @Test
    void aLongGsmTextGoesInPartsWithAnEightBitReferenceUdh() {
        String text = "0123456789".repeat(40);
        SmppText.Encoded encoded = SmppText.encode(text, LongMessages.UDH, 0x1A2B);
        assertThat(encoded.parts()).hasSize(3).hasSize(GsmAlphabet.segments(text).count());
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            byte[] message = encoded.parts().get(i).shortMessage();
            assertThat(encoded.parts().get(i).esmClass()).isEqualTo((byte) 0x40);
            assertThat(Arrays.copyOf(message, 6)).containsExactly(0x05, 0x00, 0x03, 0x2B, 0x03, i + 1);
            assertThat(message.length - 6).isLessThanOrEqualTo(153);
            joined.append(SmppText.decode(message, SmppText.GSM, true));
        }
        assertThat(joined.toString()).isEqualTo(text);
        assertThat(encoded.parts().get(0).shortMessage()).hasSize(6 + 153);
    }

    @Test
    void anEscapePairIsNeverSplitBetweenParts() {
        String text = "a".repeat(152) + "€" + "b".repeat(100);
        SmppText.Encoded encoded = SmppText.encode(text, LongMessages.UDH, 1);
        assertThat(encoded.parts()).hasSize(2);
        assertThat(SmppText.decode(encoded.parts().get(0).shortMessage(), SmppText.GSM, true)).isEqualTo("a".repeat(152));
        assertThat(SmppText.decode(encoded.parts().get(1).shortMessage(), SmppText.GSM, true)).startsWith("€b");
    }

    @Test
    void aLongUcs2TextKeepsSurrogatePairsWhole() {
        String text = "я".repeat(66) + "😀" + "я".repeat(10);
        SmppText.Encoded encoded = SmppText.encode(text, LongMessages.UDH, 1);
        assertThat(encoded.parts()).hasSize(2).hasSize(GsmAlphabet.segments(text).count());
        assertThat(SmppText.decode(encoded.parts().get(0).shortMessage(), SmppText.UCS2, true)).isEqualTo("я".repeat(66));
        assertThat(SmppText.decode(encoded.parts().get(1).shortMessage(), SmppText.UCS2, true)).startsWith("😀");
    }

    @Test
    void sarPartsCarryTheirNumbersInTlvs() {
        String text = "x".repeat(320);
        SmppText.Encoded encoded = SmppText.encode(text, LongMessages.SAR, 0x1A2B);
        assertThat(encoded.parts()).hasSize(3);
        SmppText.Part second = encoded.parts().get(1);
        assertThat(second.esmClass()).isZero();
        assertThat(new String(second.shortMessage(), StandardCharsets.US_ASCII)).isEqualTo("x".repeat(153));
        assertThat(tlv(second, OptionalParameter.Tag.SAR_MSG_REF_NUM)).isEqualTo(new OptionalParameter.Short(
                OptionalParameter.Tag.SAR_MSG_REF_NUM.code(), (short) 0x1A2B));
        assertThat(((OptionalParameter.Byte) tlv(second, OptionalParameter.Tag.SAR_TOTAL_SEGMENTS)).getValue()).isEqualTo((byte) 3);
        assertThat(((OptionalParameter.Byte) tlv(second, OptionalParameter.Tag.SAR_SEGMENT_SEQNUM)).getValue()).isEqualTo((byte) 2);
    }

    @Test
    void payloadSendsTheWholeTextInOnePdu() {
        String text = "Ω".repeat(200);
        SmppText.Encoded encoded = SmppText.encode(text, LongMessages.PAYLOAD, 1);
        assertThat(encoded.parts()).hasSize(1);
        SmppText.Part whole = encoded.parts().get(0);
        assertThat(whole.shortMessage()).isEmpty();
        assertThat(((OptionalParameter.OctetString) tlv(whole, OptionalParameter.Tag.MESSAGE_PAYLOAD)).getValue())
                .isEqualTo(GsmAlphabet.encode(text));
    }

    @Test
    void longMessagesSettingWords() {
        assertThat(LongMessages.of("sar")).isEqualTo(LongMessages.SAR);
        assertThat(LongMessages.of(" Payload ")).isEqualTo(LongMessages.PAYLOAD);
        assertThat(LongMessages.of(null)).isEqualTo(LongMessages.UDH);
        assertThatThrownBy(() -> LongMessages.of("split")).isInstanceOf(IllegalArgumentException.class);
    }

    private static OptionalParameter tlv(SmppText.Part part, OptionalParameter.Tag tag) {
        return Arrays.stream(part.tlvs()).filter(t -> t.tag == tag.code()).findFirst().orElseThrow();
    }
}
