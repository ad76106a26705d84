package io.herald.store;

import java.time.OffsetDateTime;
import java.util.List;

/** An account; {@code rateLimit} null: the default rate; {@code disabledAt} null: enabled (migration V12). */
public record Account(long id, String name, Long messageLimit, List<String> allowedCountries, long messagesSent, boolean demo,
                      Integer rateLimit, OffsetDateTime disabledAt, OffsetDateTime createdAt) {
}
