package io.herald.store;

import java.util.List;

public record Account(long id, String name, Long messageLimit, List<String> allowedCountries, long messagesSent, boolean demo) {
}
