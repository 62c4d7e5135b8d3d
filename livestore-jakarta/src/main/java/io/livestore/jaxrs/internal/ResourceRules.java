package io.livestore.jaxrs.internal;

import io.livestore.cdi.internal.DeploymentRules;
import io.livestore.cdi.internal.StorePlan;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.spi.Bean;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The JAX-RS layer's deployment checks of {@code @LiveStore} injection points in root resources
 * (found by the CDI extension through META-INF/services):
 * 0304 an id template naming a path parameter the resource cannot have, 0308 a resource that injects
 * stores but is not request-scoped, 0310 no id given, no fixed id, no resolver and no {@code <def>Id}
 * path parameter. Classes that are not resources are not checked: their path parameters are those of
 * whatever request they are used in.
 */
public final class ResourceRules implements DeploymentRules {

    @Override
    public void checkInjectingBean(Bean<?> bean, String where, Consumer<String> problems) {
        if (bean != null && ResourcePaths.isResource(bean.getBeanClass()) && bean.getScope() != RequestScoped.class) {
            problems.accept("LIVESTORE-0308: " + where + ": JAX-RS resource " + bean.getBeanClass().getName()
                    + " injects a store but is " + bean.getScope().getSimpleName()
                    + "; annotate it @RequestScoped so its stores are released when each request ends (C4)");
        }
    }

    @Override
    public void checkPlan(StorePlan plan, Class<?> beanClass, Consumer<String> problems) {
        if (!ResourcePaths.isResource(beanClass)) {
            return;
        }
        Set<String> available = ResourcePaths.pathParameters(beanClass);
        String name = plan.definition().name();
        if (plan.source() == StorePlan.IdSource.TEMPLATE) {
            for (String parameter : plan.pathParameters()) {
                if (!available.contains(parameter)) {
                    problems.accept("LIVESTORE-0304: " + plan.where() + " has id \"" + plan.template() + "\" but resource "
                            + beanClass.getSimpleName() + " has no path parameter '" + parameter + "'; its paths declare "
                            + available);
                    return;
                }
            }
        } else if (plan.source() == StorePlan.IdSource.PATH_PARAMETER) {
            String parameter = plan.pathParameters().get(0);
            if (!available.contains(parameter)) {
                problems.accept("LIVESTORE-0310: " + plan.where() + " gives no id for definition '" + name + "', which has no"
                        + " fixed id and no StoreIdResolver, and resource " + beanClass.getSimpleName()
                        + " has no path parameter '" + parameter + "'; give @LiveStore(id = ...), a fixedStoreId, or a"
                        + " @StoreDef(\"" + name + "\") StoreIdResolver");
            }
        }
    }
}
