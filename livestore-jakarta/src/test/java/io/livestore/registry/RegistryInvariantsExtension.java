package io.livestore.registry;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Checks the invariants of every registry a test made ({@link StoreRegistry#checkInvariants()}): right
 * after the test method, while its registries are still open, and again once they are closed.
 */
final class RegistryInvariantsExtension implements AfterTestExecutionCallback, AfterEachCallback {

    @Override
    public void afterTestExecution(ExtensionContext context) {
        check(context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        check(context);
    }

    private static void check(ExtensionContext context) {
        if (context.getExecutionException().isPresent()) {
            return; // the test's own failure says more
        }
        if (context.getRequiredTestInstance() instanceof RegistryTestSupport test) {
            test.registries.forEach(StoreRegistry::checkInvariants);
        }
    }
}
