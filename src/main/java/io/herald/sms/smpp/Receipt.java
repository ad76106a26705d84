package io.herald.sms.smpp;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A delivery receipt for one part (SPEC §6): the SMSC's message id of the part, its state word ({@code DELIVRD},
 * {@code UNDELIV}, ...) and error code. Read from the standard text ({@code id:… sub:… dlvrd:… submit date:… done
 * date:… stat:… err:…}), where the {@code receipted_message_id} and {@code message_state} TLVs, when present, win.
 */
public record Receipt(String smscMessageId, String stat, String err) {
    public static final String DELIVERED = "DELIVRD";
    /** The states that end a part for good without delivering it. */
    public static final Set<String> FAILED = Set.of("UNDELIV", "EXPIRED", "REJECTD", "DELETED");
    /** message_state TLV values (SMPP 3.4 §5.3.2.35) as the text's state words; index = value. */
    private static final String[] STATES = {null, "ENROUTE", DELIVERED, "EXPIRED", "DELETED", "UNDELIV", "ACCEPTD",
            "UNKNOWN", "REJECTD"};
    private static final Pattern ID = Pattern.compile("(?i)(?:^|\\s)id:(\\S+)");
    private static final Pattern STAT = Pattern.compile("(?i)(?:^|\\s)stat:(\\S+)");
    private static final Pattern ERR = Pattern.compile("(?i)(?:^|\\s)err:(\\S+)");

    /**
     * {@code receiptedMessageId} and {@code messageState}: the TLVs, null when absent. Answers null when neither the
     * text nor the TLVs name the part and its state.
     */
    public static Receipt parse(String text, String receiptedMessageId, Integer messageState) {
        String body = text == null ? "" : text;
        String id = receiptedMessageId != null && !receiptedMessageId.isBlank() ? receiptedMessageId.trim() : field(ID, body);
        String stat = messageState != null && messageState > 0 && messageState < STATES.length ? STATES[messageState]
                : field(STAT, body);
        if (id == null || stat == null) {
            return null;
        }
        return new Receipt(id, stat.toUpperCase(Locale.ROOT), field(ERR, body));
    }

    public boolean delivered() {
        return DELIVERED.equals(stat);
    }

    public boolean failed() {
        return FAILED.contains(stat);
    }

    private static String field(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1) : null;
    }
}
