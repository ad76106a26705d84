package io.herald.sms;

import io.herald.pipeline.PhoneNumbers;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Numbers as Herald keeps them in opt-out and number-state lists, matching {@code message.recipient}: a COSMOS
 * virtual number ({@code 0} and 14 digits) exactly as given, any other number in E.164.
 */
public final class SmsNumbers {
    public static final Pattern COSMOS_VIRTUAL = Pattern.compile("0[0-9]{14}");
    private static final Pattern DIGITS = Pattern.compile("\\+?[0-9]{4,17}");
    private static final Pattern IGNORED = Pattern.compile("[ \\-.()]");

    private SmsNumbers() {
    }

    public static boolean isCosmosVirtual(String number) {
        return number != null && COSMOS_VIRTUAL.matcher(number).matches();
    }

    /** A number given by a tenant or operator: a COSMOS virtual number, or a phone number valid in the countries. */
    public static Optional<String> normalise(String raw, List<String> allowedCountries) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        String trimmed = raw.strip();
        if (isCosmosVirtual(trimmed)) {
            return Optional.of(trimmed);
        }
        return PhoneNumbers.toE164(trimmed, allowedCountries, false);
    }

    /**
     * The forms in which a number reported by the SMS provider (an inbound {@code from}) may have been stored: the
     * provider is sent E.164 digits without {@code +} and COSMOS virtual numbers as given
     * (docs/contract.md#the-upstream-sms-provider).
     */
    public static List<String> storedForms(String raw) {
        if (raw == null || raw.isBlank()) {
            return List.of();
        }
        String trimmed = raw.strip();
        if (isCosmosVirtual(trimmed)) {
            return List.of(trimmed);
        }
        String cleaned = IGNORED.matcher(trimmed).replaceAll("");
        Set<String> forms = new LinkedHashSet<>();
        if (DIGITS.matcher(cleaned).matches()) {
            String digits = cleaned.startsWith("+") ? cleaned.substring(1) : cleaned;
            forms.add("+" + digits);
            forms.add(digits);
        }
        forms.add(trimmed);
        return new ArrayList<>(forms);
    }
}
