package io.livestore.cdi.internal;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import java.lang.reflect.Field;
import io.livestore.cdi.LiveStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Releases the retentions of a bean's injected stores in its {@code @PreDestroy} (C4): when a
 * request-scoped bean ends, so do its stores' retentions. Bound by the extension to every bean class with
 * {@code @LiveStore} fields; the container's destruction of the injected {@code @Dependent} objects
 * releases any retention this did not (constructor or initializer parameters), and releasing is idempotent.
 */
@RetainsStores
@Interceptor
@Priority(Interceptor.Priority.LIBRARY_BEFORE)
public class StoreRetentionInterceptor {

    private static final ClassValue<List<Field>> STORE_FIELDS = new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> type) {
            List<Field> fields = new ArrayList<>();
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (f.isAnnotationPresent(LiveStore.class)) {
                        f.setAccessible(true);
                        fields.add(f);
                    }
                }
            }
            return List.copyOf(fields);
        }
    };

    @PreDestroy
    Object release(InvocationContext context) throws Exception {
        Object target = context.getTarget();
        for (Field f : STORE_FIELDS.get(target.getClass())) {
            try {
                if (f.get(target) instanceof LeasedStore<?> store) {
                    store.close();
                }
            } catch (RuntimeException | IllegalAccessException e) {
                // One failed release must neither keep the others nor skip the bean's own @PreDestroy.
                System.getLogger(StoreRetentionInterceptor.class.getName())
                        .log(System.Logger.Level.WARNING, "releasing " + f + " failed", e);
            }
        }
        return context.proceed();
    }
}
