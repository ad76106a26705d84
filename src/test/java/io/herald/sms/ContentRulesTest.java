package io.herald.sms;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The blocked-word rule; the repeated-text rule counts stored messages and is tested against the application. */
class ContentRulesTest {
    private final ContentRules rules = new ContentRules(ContentRules.words(" Casino , FREE money,,λοταρία"), 0,
            Duration.ofMinutes(10), null);

    @Test
    void blockedWordsMatchWholeWordsInAnyCase() {
        assertThat(rules.containsBlockedWord("Tonight at the casino!")).isTrue();
        assertThat(rules.containsBlockedWord("CASINO")).isTrue();
        assertThat(rules.containsBlockedWord("Get free money now")).isTrue();
        assertThat(rules.containsBlockedWord("Κερδίστε στη ΛΟΤΑΡΊΑ")).isTrue();
        assertThat(rules.containsBlockedWord("Κερδίστε στη λοταρία")).isTrue();
        assertThat(rules.containsBlockedWord("casinos and casinoroyale")).isFalse();
        assertThat(rules.containsBlockedWord("free  money")).isFalse();
        assertThat(rules.containsBlockedWord(null)).isFalse();
    }

    @Test
    void noWordsNoRule() {
        ContentRules none = new ContentRules(ContentRules.words(""), 0, Duration.ofMinutes(10), null);
        assertThat(none.containsBlockedWord("casino")).isFalse();
        assertThat(none.isSpam(1, "033334445566770", "casino")).isFalse();
        assertThat(ContentRules.words(null)).isEqualTo(List.of());
    }
}
