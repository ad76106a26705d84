package io.herald.sms.smpp;

import io.herald.sms.GsmAlphabet;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.OptionalParameters;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A message text as SMPP submit_sm PDUs (SPEC §6): GSM 03.38 (data_coding 0, unpacked septets) when
 * {@link GsmAlphabet#isGsm} accepts it, else UCS-2 (data_coding 8). A long text goes as concatenated parts cut where
 * {@link GsmAlphabet#segments} counts them (153 septets or 67 UCS-2 characters a part, an escape pair or a surrogate
 * pair never split), marked by a UDH with an 8-bit reference or by SAR TLVs, or whole in one message_payload TLV.
 */
public final class SmppText {
    public static final byte GSM = 0;
    public static final byte UCS2 = 8;
    /** esm_class with the UDH indicator (GSM specific feature 0x40). */
    private static final byte UDHI = 0x40;

    /** How a long message goes: the {@code longMessages} field of an smpp upstream. */
    public enum LongMessages {
        UDH, SAR, PAYLOAD;

        public static LongMessages of(String value) {
            return value == null || value.isBlank() ? UDH : valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
    }

    /** One submit_sm's content: short_message, esm_class and TLVs. */
    public record Part(byte[] shortMessage, byte esmClass, OptionalParameter[] tlvs) {
    }

    /** A text's data_coding and its parts, in order. */
    public record Encoded(byte dataCoding, List<Part> parts) {
    }

    private SmppText() {
    }

    /** {@code reference}: the concatenation reference of a long message (its low 8 bits for a UDH, 16 for SAR). */
    public static Encoded encode(String text, LongMessages mode, int reference) {
        boolean gsm = GsmAlphabet.isGsm(text);
        byte coding = gsm ? GSM : UCS2;
        if (mode == LongMessages.PAYLOAD) {
            Part whole = new Part(new byte[0], (byte) 0, new OptionalParameter[] {
                    new OptionalParameter.OctetString(OptionalParameter.Tag.MESSAGE_PAYLOAD.code(), bytes(text, gsm))});
            return new Encoded(coding, List.of(whole));
        }
        List<String> chunks = chunks(text, gsm);
        List<Part> parts = new ArrayList<>(chunks.size());
        if (chunks.size() == 1) {
            parts.add(new Part(bytes(text, gsm), (byte) 0, new OptionalParameter[0]));
            return new Encoded(coding, parts);
        }
        int total = chunks.size();
        for (int i = 0; i < total; i++) {
            byte[] body = bytes(chunks.get(i), gsm);
            if (mode == LongMessages.SAR) {
                parts.add(new Part(body, (byte) 0, new OptionalParameter[] {
                        OptionalParameters.newSarMsgRefNum((short) reference), OptionalParameters.newSarTotalSegments(total),
                        OptionalParameters.newSarSegmentSeqnum(i + 1)}));
            } else {
                byte[] udh = {0x05, 0x00, 0x03, (byte) reference, (byte) total, (byte) (i + 1)};
                byte[] message = new byte[udh.length + body.length];
                System.arraycopy(udh, 0, message, 0, udh.length);
                System.arraycopy(body, 0, message, udh.length, body.length);
                parts.add(new Part(message, UDHI, new OptionalParameter[0]));
            }
        }
        return new Encoded(coding, parts);
    }

    /** The text of a short_message (or message_payload) in the given data_coding, any UDH left out. */
    public static String decode(byte[] message, byte dataCoding, boolean udh) {
        int skip = udh && message.length > 0 ? (message[0] & 0xFF) + 1 : 0;
        byte[] body = java.util.Arrays.copyOfRange(message, Math.min(skip, message.length), message.length);
        return switch (dataCoding) {
            case UCS2 -> new String(body, StandardCharsets.UTF_16BE);
            case GSM -> GsmAlphabet.decode(body);
            default -> new String(body, StandardCharsets.ISO_8859_1);
        };
    }

    private static byte[] bytes(String text, boolean gsm) {
        return gsm ? GsmAlphabet.encode(text) : text.getBytes(StandardCharsets.UTF_16BE);
    }

    /** The text cut into parts: one when it fits a single SMS. */
    static List<String> chunks(String text, boolean gsm) {
        int single = gsm ? GsmAlphabet.SINGLE_GSM : GsmAlphabet.SINGLE_UCS2;
        if ((gsm ? GsmAlphabet.septets(text) : text.length()) <= single) {
            return List.of(text);
        }
        int limit = gsm ? GsmAlphabet.PART_GSM : GsmAlphabet.PART_UCS2;
        List<String> chunks = new ArrayList<>();
        int start = 0;
        int used = 0;
        for (int i = 0; i < text.length(); ) {
            int width = gsm ? 1 : Character.charCount(text.codePointAt(i));
            int units = gsm ? GsmAlphabet.septets(text.substring(i, i + 1)) : width;
            if (used + units > limit) {
                chunks.add(text.substring(start, i));
                start = i;
                used = 0;
            }
            used += units;
            i += width;
        }
        chunks.add(text.substring(start));
        return chunks;
    }
}
