package io.herald.sms;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The content rules that make a COSMOS message {@code spam}: a blocked word ({@code herald.content-rules.blocked-words},
 * whole words, any case), or the same text to the same number more than {@code max-repeats} times within
 * {@code repeat-window} (counted over the account's stored messages).
 */
public class ContentRules {
    private final Pattern blocked;
    private final int maxRepeats;
    private final Duration window;
    private final SmsHistory history;

    public ContentRules(List<String> blockedWords, int maxRepeats, Duration window, SmsHistory history) {
        List<String> words = blockedWords.stream().map(String::strip).filter(w -> !w.isEmpty()).toList();
        this.blocked = words.isEmpty() ? null : Pattern.compile("(?<![\\p{L}\\p{N}])(?:"
                + words.stream().map(Pattern::quote).collect(Collectors.joining("|")) + ")(?![\\p{L}\\p{N}])",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        this.maxRepeats = maxRepeats;
        this.window = window;
        this.history = history;
    }

    public static List<String> words(String csv) {
        return csv == null ? List.of() : Arrays.stream(csv.split(",")).map(s -> s.strip().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty()).toList();
    }

    public boolean containsBlockedWord(String text) {
        return blocked != null && text != null && blocked.matcher(text).find();
    }

    public boolean isSpam(long accountId, String recipient, String text) {
        if (containsBlockedWord(text)) {
            return true;
        }
        if (maxRepeats <= 0 || text == null) {
            return false;
        }
        OffsetDateTime since = OffsetDateTime.now(ZoneOffset.UTC).minus(window);
        return history.countSameText(accountId, recipient, text, since) >= maxRepeats;
    }
}
