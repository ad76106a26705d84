package io.herald.pipeline;

import io.herald.store.Channel;
import io.herald.store.StorableText;

import java.util.Map;
import java.util.stream.Stream;

/**
 * One recipient in the canonical form every dialect maps to. CO-SENDER gives a single {@code address};
 * the Messaging API gives {@code email} and {@code mobile} and the campaign's channel picks one;
 * COSMOS gives a {@code callbackUrl} for the message's delivery status.
 */
public record Recipient(String address, String email, String mobile, String uniqueId, String cardNumber,
                        Map<String, String> params, String callbackUrl) {

    public static Recipient of(String address, Map<String, String> params) {
        return new Recipient(address, null, null, null, null, params, null);
    }

    public String addressFor(Channel channel) {
        if (address != null) {
            return address;
        }
        return channel == Channel.EMAIL ? email : mobile;
    }

    /**
     * Whether a value that would be stored or rendered cannot be stored as text ({@link StorableText}), so the
     * recipient is refused before anything is stored (see {@link RecipientValidator}).
     */
    public boolean holdsNul() {
        return Stream.concat(Stream.of(address, email, mobile, uniqueId, cardNumber, callbackUrl),
                params == null ? Stream.empty() : params.values().stream()).anyMatch(v -> !StorableText.storable(v));
    }
}
