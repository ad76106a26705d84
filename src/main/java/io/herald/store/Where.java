package io.herald.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The conditions of a search, joined by AND, with their parameters in order (the list queries, docs/lists.md). */
final class Where {
    private final List<String> conditions = new ArrayList<>();
    private final List<Object> params = new ArrayList<>();

    /** Adds {@code condition} with its parameters, when {@code value} (the filter) is given. */
    Where and(Object value, String condition, Object... conditionParams) {
        if (value != null) {
            conditions.add(condition);
            params.addAll(Arrays.asList(conditionParams));
        }
        return this;
    }

    String sql() {
        return String.join(" AND ", conditions);
    }

    Object[] params() {
        return params.toArray();
    }
}
