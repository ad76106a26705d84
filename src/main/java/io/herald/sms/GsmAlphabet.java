package io.herald.sms;

/**
 * GSM 03.38 default alphabet and extension table: membership, septet counting and SMS segmentation.
 */
public final class GsmAlphabet {

    public static final String GSM_7 = "GSM-7";
    public static final String UCS_2 = "UCS-2";

    /** The 128 positions of the default alphabet with ESC (0x1B) left out. */
    private static final String BASIC =
            "@£$¥èéùìòÇ\nØø\rÅå"
            + "Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
            + " !\"#¤%&'()*+,-./"
            + "0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNO"
            + "PQRSTUVWXYZÄÖÑÜ§"
            + "¿abcdefghijklmno"
            + "pqrstuvwxyzäöñüà";

    private static final String EXTENSION = "\f^{}\\[~]|€";
    /** The codes after ESC of the {@link #EXTENSION} characters, in their order. */
    private static final int[] EXTENSION_CODES = {0x0A, 0x14, 0x28, 0x29, 0x2F, 0x3C, 0x3D, 0x3E, 0x40, 0x65};
    private static final int ESC = 0x1B;

    /** Units of one SMS, and of one part of a long one (septets for GSM-7, UTF-16 characters for UCS-2). */
    public static final int SINGLE_GSM = 160;
    public static final int PART_GSM = 153;
    public static final int SINGLE_UCS2 = 70;
    public static final int PART_UCS2 = 67;
    private static final int COSMOS_GSM_LIMIT = 180;
    private static final int COSMOS_UCS2_LIMIT = 70;

    public record Segments(String encoding, int count, int units) {
    }

    private GsmAlphabet() {
    }

    public static boolean isGsm(String text) {
        if (text == null) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (cost(text.charAt(i)) == 0) {
                return false;
            }
        }
        return true;
    }

    public static int septets(String text) {
        int total = 0;
        for (int i = 0; i < text.length(); i++) {
            int c = cost(text.charAt(i));
            total += c == 0 ? 1 : c;
        }
        return total;
    }

    public static boolean fitsCosmosLimit(String text) {
        if (text == null || text.isEmpty()) {
            return false;
        }
        return isGsm(text) ? septets(text) < COSMOS_GSM_LIMIT : text.length() < COSMOS_UCS2_LIMIT;
    }

    public static Segments segments(String text) {
        if (isGsm(text)) {
            int units = septets(text);
            return new Segments(GSM_7, units <= SINGLE_GSM ? 1 : gsmParts(text), units);
        }
        int units = text.length();
        return new Segments(UCS_2, units <= SINGLE_UCS2 ? 1 : ucs2Parts(text), units);
    }

    private static int gsmParts(String text) {
        int parts = 1;
        int used = 0;
        for (int i = 0; i < text.length(); i++) {
            int c = cost(text.charAt(i));
            if (used + c > PART_GSM) {
                parts++;
                used = 0;
            }
            used += c;
        }
        return parts;
    }

    /** Surrogate pairs are kept in one part, as handsets cannot rejoin a split pair. */
    private static int ucs2Parts(String text) {
        int parts = 1;
        int used = 0;
        for (int i = 0; i < text.length(); ) {
            int c = Character.charCount(text.codePointAt(i));
            if (used + c > PART_UCS2) {
                parts++;
                used = 0;
            }
            used += c;
            i += c;
        }
        return parts;
    }

    /**
     * The text in the GSM 03.38 default alphabet, one septet per octet (unpacked, as SMPP's data_coding 0 carries it);
     * an extension character is ESC (0x1B) and its code. Only for a text {@link #isGsm} accepts.
     */
    public static byte[] encode(String text) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int basic = BASIC.indexOf(c);
            if (basic >= 0) {
                out.write(basic < ESC ? basic : basic + 1);
            } else {
                int extension = EXTENSION.indexOf(c);
                if (extension < 0) {
                    throw new IllegalArgumentException("not in the GSM 03.38 alphabet: U+" + Integer.toHexString(c));
                }
                out.write(ESC);
                out.write(EXTENSION_CODES[extension]);
            }
        }
        return out.toByteArray();
    }

    /** Unpacked GSM 03.38 septets back to text (an unknown code reads as '?'). */
    public static String decode(byte[] septets) {
        StringBuilder text = new StringBuilder(septets.length);
        for (int i = 0; i < septets.length; i++) {
            int code = septets[i] & 0x7F;
            if (code == ESC && i + 1 < septets.length) {
                int next = septets[++i] & 0x7F;
                int extension = -1;
                for (int e = 0; e < EXTENSION_CODES.length; e++) {
                    extension = EXTENSION_CODES[e] == next ? e : extension;
                }
                text.append(extension < 0 ? '?' : EXTENSION.charAt(extension));
            } else if (code != ESC) {
                text.append(BASIC.charAt(code < ESC ? code : code - 1));
            }
        }
        return text.toString();
    }

    private static int cost(char c) {
        if (BASIC.indexOf(c) >= 0) {
            return 1;
        }
        return EXTENSION.indexOf(c) >= 0 ? 2 : 0;
    }
}
