package io.livestore.cdi.internal;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds {@link StoreRetentionInterceptor}. The extension adds it to every bean class that injects
 * {@code @LiveStore} stores; applications do not write it.
 */
@InterceptorBinding
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RetainsStores {

    /** The literal the extension adds. */
    final class Literal extends AnnotationLiteral<RetainsStores> implements RetainsStores {
        private static final long serialVersionUID = 1L;
        /** The only instance. */
        public static final Literal INSTANCE = new Literal();
    }
}
