package io.herald.edge.fuzz;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * The number of malformed requests per dialect at least ({@code -Dherald.fuzz.count}, default 10,000) and, to replay
 * a run, its seed ({@code -Dherald.fuzz.seed}; jqwik prints the seed of every run). A tenth more tries (20 at least) are
 * generated for the requests sent valid on purpose (a few percent of each dialect's mix); FuzzTest checks the count was reached.
 */
public class FuzzBudget implements AroundPropertyHook {

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        int malformed = malformedCount();
        context.attributes().setTries(malformed + Math.max(20, malformed / 10));
        String seed = System.getProperty(FuzzFixture.SEED_PROPERTY);
        if (seed != null && !seed.isBlank()) {
            context.attributes().setSeed(seed.trim());
        }
        return property.execute();
    }

    /** How many malformed requests each dialect sends at least. */
    public static int malformedCount() {
        return Integer.getInteger(FuzzFixture.COUNT_PROPERTY, FuzzFixture.DEFAULT_COUNT);
    }
}
