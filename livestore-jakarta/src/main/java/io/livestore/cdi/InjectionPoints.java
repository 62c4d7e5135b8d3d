package io.livestore.cdi;

import io.livestore.store.Schema;
import io.livestore.store.Store;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.AnnotatedParameter;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.inject.Provider;
import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.concurrent.CompletionStage;

/** How the extension reads {@code @LiveStore} injection points, and names them in messages. */
final class InjectionPoints {

    private InjectionPoints() {
    }

    /** The {@code @LiveStore} qualifier of an injection point, or null. */
    static LiveStore qualifier(InjectionPoint ip) {
        for (Annotation a : ip.getQualifiers()) {
            if (a instanceof LiveStore ls) {
                return ls;
            }
        }
        return null;
    }

    /** T of {@code Instance<T>} or {@code Provider<T>}, else the type. */
    static Type unwrapLookup(Type type) {
        if (type instanceof ParameterizedType p && (p.getRawType() == Instance.class || p.getRawType() == Provider.class)) {
            return p.getActualTypeArguments()[0];
        }
        return type;
    }

    /** {@code Store<S>} of {@code CompletionStage<Store<S>>}, else the type. */
    static Type unwrapAsync(Type type) {
        if (type instanceof ParameterizedType p && p.getRawType() == CompletionStage.class) {
            return p.getActualTypeArguments()[0];
        }
        return type;
    }

    /** S of {@code Store<S>}, or null. */
    static Class<?> schemaOf(Type type) {
        if (type instanceof ParameterizedType p && p.getRawType() == Store.class
                && p.getActualTypeArguments()[0] instanceof Class<?> c && Schema.class.isAssignableFrom(c)) {
            return c;
        }
        return null;
    }

    /** The class of the bean that has the injection point (its declaring class outside a bean). */
    static Class<?> beanClass(InjectionPoint ip) {
        return ip.getBean() != null ? ip.getBean().getBeanClass()
                : ip.getMember() != null ? ip.getMember().getDeclaringClass() : Object.class;
    }

    /** {@code Class.member}, the way deployment messages name an injection point. */
    static String where(InjectionPoint ip) {
        Member m = ip.getMember();
        if (m == null) {
            return "programmatic lookup of " + ip.getType().getTypeName();
        }
        String owner = m.getDeclaringClass().getName();
        if (m instanceof Constructor<?> || m instanceof Method) {
            String name = m instanceof Constructor<?> ? "<init>" : m.getName();
            int position = ip.getAnnotated() instanceof AnnotatedParameter<?> ap ? ap.getPosition() : -1;
            return owner + "." + name + (position >= 0 ? "(parameter " + position + ")" : "");
        }
        return owner + "." + m.getName();
    }

    /** A bean as messages name it: its class and its parameterized type. */
    static String describe(Bean<?> bean) {
        return bean.getBeanClass().getName() + bean.getTypes().stream()
                .filter(t -> t instanceof ParameterizedType).findFirst().map(t -> " (" + t.getTypeName() + ")").orElse("");
    }
}
