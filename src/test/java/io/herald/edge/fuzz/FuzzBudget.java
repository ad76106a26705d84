package io.herald.edge.fuzz;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * The number of requests per dialect ({@code -Dherald.fuzz.count}, default 10,000) and, to replay a run,
 * its seed ({@code -Dherald.fuzz.seed}; jqwik prints the seed of every run).
 */
public class FuzzBudget implements AroundPropertyHook {

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        context.attributes().setTries(Integer.getInteger(FuzzFixture.COUNT_PROPERTY, FuzzFixture.DEFAULT_COUNT));
        String seed = System.getProperty(FuzzFixture.SEED_PROPERTY);
        if (seed != null && !seed.isBlank()) {
            context.attributes().setSeed(seed.trim());
        }
        return property.execute();
    }
}
