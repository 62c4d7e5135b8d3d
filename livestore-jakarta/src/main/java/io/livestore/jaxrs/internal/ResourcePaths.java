package io.livestore.jaxrs.internal;

import jakarta.ws.rs.Path;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What JAX-RS annotations say about a class: whether it is a root resource, and its path parameters. */
public final class ResourcePaths {

    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{\\s*([^}:\\s]+)\\s*(?::[^}]*)?}");

    private ResourcePaths() {
    }

    /** True for classes JAX-RS serves as root resources ({@code @Path} on them or an interface). */
    public static boolean isResource(Class<?> c) {
        if (pathOf(c) != null) {
            return true;
        }
        for (Class<?> api : c.getInterfaces()) {
            if (pathOf(api) != null) {
                return true;
            }
        }
        return false;
    }

    /** Every path parameter a resource class's paths (class and methods, inherited ones too) declare. */
    public static Set<String> pathParameters(Class<?> resource) {
        Set<String> names = new TreeSet<>();
        addParameters(pathOf(resource), names);
        for (Class<?> c = resource; c != null && c != Object.class; c = c.getSuperclass()) {
            addMethodPaths(c, names);
            for (Class<?> api : c.getInterfaces()) {
                addParameters(pathOf(api), names);
                addMethodPaths(api, names); // JAX-RS annotation inheritance: @Path on interface methods counts
            }
        }
        return names;
    }

    private static String pathOf(AnnotatedElement element) {
        Path path = element.getAnnotation(Path.class);
        return path == null ? null : path.value();
    }

    private static void addMethodPaths(Class<?> type, Set<String> names) {
        for (Method m : type.getDeclaredMethods()) {
            addParameters(pathOf(m), names);
        }
    }

    private static void addParameters(String path, Set<String> names) {
        if (path == null) {
            return;
        }
        Matcher m = PATH_PARAMETER.matcher(path);
        while (m.find()) {
            names.add(m.group(1));
        }
    }
}
