package io.herald.pipeline;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Recipient phone-number validation and E.164 normalisation (docs/contract.md#phone-numbers).
 * A number without {@code +} is read first as international, then as a national number of each
 * allowed region in order of preference. When every region is allowed there is no order to prefer, so
 * the national reading is skipped and the number must carry its country code.
 */
public final class PhoneNumbers {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final Pattern IGNORED = Pattern.compile("[ \\-.()\\[\\]]");
    private static final Pattern SHAPE = Pattern.compile("\\+?[0-9]{4,17}");
    private static final List<String> ALL_REGIONS = UTIL.getSupportedRegions().stream().sorted().toList();

    private PhoneNumbers() {
    }

    public static Optional<String> toE164(String raw, List<String> allowedRegions, boolean requireMobile) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        String cleaned = IGNORED.matcher(raw).replaceAll("");
        if (!SHAPE.matcher(cleaned).matches()) {
            return Optional.empty();
        }
        List<String> regions = regions(allowedRegions);
        Set<String> allowed = Set.copyOf(regions);

        if (cleaned.startsWith("+")) {
            return accept(parse(cleaned, "ZZ"), allowed, requireMobile);
        }
        Optional<String> international = accept(parse("+" + cleaned, "ZZ"), allowed, requireMobile);
        if (international.isPresent()) {
            return international;
        }
        if (regions == ALL_REGIONS) {
            return Optional.empty();
        }
        for (String region : regions) {
            Optional<String> national = accept(parse(cleaned, region), allowed, requireMobile);
            if (national.isPresent()) {
                return national;
            }
        }
        return Optional.empty();
    }

    private static List<String> regions(List<String> allowedRegions) {
        if (allowedRegions == null || allowedRegions.isEmpty()) {
            return ALL_REGIONS;
        }
        Set<String> ordered = new LinkedHashSet<>();
        for (String r : allowedRegions) {
            if (r != null && !r.isBlank()) {
                ordered.add(r.trim().toUpperCase(Locale.ROOT));
            }
        }
        return ordered.isEmpty() ? ALL_REGIONS : new ArrayList<>(ordered);
    }

    private static PhoneNumber parse(String number, String region) {
        try {
            return UTIL.parse(number, region);
        } catch (NumberParseException e) {
            return null;
        }
    }

    private static Optional<String> accept(PhoneNumber number, Set<String> allowed, boolean requireMobile) {
        if (number == null || !UTIL.isValidNumber(number)) {
            return Optional.empty();
        }
        String region = UTIL.getRegionCodeForNumber(number);
        if (region == null || !allowed.contains(region)) {
            return Optional.empty();
        }
        if (requireMobile) {
            PhoneNumberType type = UTIL.getNumberType(number);
            if (type != PhoneNumberType.MOBILE && type != PhoneNumberType.FIXED_LINE_OR_MOBILE) {
                return Optional.empty();
            }
        }
        return Optional.of(UTIL.format(number, PhoneNumberFormat.E164));
    }
}
