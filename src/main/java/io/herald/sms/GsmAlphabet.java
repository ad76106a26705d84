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

    private static final int SINGLE_GSM = 160;
    private static final int PART_GSM = 153;
    private static final int SINGLE_UCS2 = 70;
    private static final int PART_UCS2 = 67;
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

    private static int cost(char c) {
        if (BASIC.indexOf(c) >= 0) {
            return 1;
        }
        return EXTENSION.indexOf(c) >= 0 ? 2 : 0;
    }
}
