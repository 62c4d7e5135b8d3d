package io.livestore.cdi.internal;

import jakarta.enterprise.inject.spi.Bean;
import java.util.function.Consumer;

/**
 * Checks a layer above the CDI layer adds to deployment validation, without the CDI layer knowing that
 * layer: the JAX-RS layer checks resources' path parameters and scopes. Implementations are found with
 * {@link java.util.ServiceLoader} (META-INF/services) in the library's class loader; the extension asks
 * each one while it validates in AfterDeploymentValidation and reports what they find with the rest.
 * A problem is one line starting with its message id, naming the injection point as {@code Class.member}.
 */
public interface DeploymentRules {

    /**
     * Problems of a bean that injects stores.
     *
     * @param bean  the bean (null for an injection point outside a bean)
     * @param where the injection point, {@code Class.member}
     */
    default void checkInjectingBean(Bean<?> bean, String where, Consumer<String> problems) {
    }

    /**
     * Problems of the plan made for an injection point (also for programmatic lookups at run time).
     *
     * @param plan      the plan
     * @param beanClass the class of the bean whose injection point it is
     */
    default void checkPlan(StorePlan plan, Class<?> beanClass, Consumer<String> problems) {
    }
}
