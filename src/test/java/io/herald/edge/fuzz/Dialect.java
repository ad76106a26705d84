package io.herald.edge.fuzz;

import net.jqwik.api.Arbitrary;

import java.util.Set;

/**
 * A dialect under fuzz: a generator of requests (malformed by construction, plus a few valid on purpose) and the
 * check of its answers (its error format, its success answer). To fuzz another dialect, implement this and add a
 * property for it in {@code FuzzTest}.
 */
public interface Dialect {

    String name();

    Arbitrary<FuzzRequest> requests(FuzzFixture fixture);

    /**
     * Asserts that the answer is what this dialect owes the request, and answers its label for the distribution
     * ({@code "400/1001"}) and the ids of the messages it created (only a valid send creates any).
     */
    Outcome verify(FuzzRequest request, FuzzAnswer answer);

    record Outcome(String label, Set<String> messageIds) {
        public static Outcome of(String label) {
            return new Outcome(label, Set.of());
        }
    }
}
